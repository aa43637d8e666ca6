#!/usr/bin/env bash
# Other people's code checks our signatures: Python joserfc/cryptography, the OpenSSL CLI, poppler pdfsig, GnuTLS certtool.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 scripts/independent_check.py
