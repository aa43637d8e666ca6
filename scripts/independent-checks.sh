#!/usr/bin/env bash
# Other people's code checks our signatures: Python joserfc/cryptography, the OpenSSL CLI, GnuTLS certtool,
# poppler pdfsig (with an NSS database trusting the test root) and qpdf.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 scripts/independent_check.py
python3 scripts/independent_pdf_check.py
