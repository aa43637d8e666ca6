/**
 * `elicense tsa`: runs an RFC 3161 time-stamping authority over HTTP with a key and a certificate
 * whose extended key usage is id-kp-timeStamping (critical), until SIGINT or SIGTERM.
 */
import { Command } from 'commander';
import { createSigner, createTimeStampAuthority, isElicenseError } from '@elicense/core';
import { UsageError } from '../errors.js';
import { startTsaServer } from '../tsa/server.js';
import { assertKeyMatchesCertificate, integerOption, loadCertificates, loadPrivateKey } from './inputs.js';

/** The ITU-T example arc (X.660 2.999): fine for tests and demos; a production TSA names its own policy. */
const DEFAULT_POLICY = '2.999.3161.1';

interface TsaFlags {
  key: string;
  cert: string;
  passphraseEnv?: string;
  port: string;
  host: string;
  policy: string;
}

export function tsaCommand(): Command {
  return new Command('tsa')
    .description('run an RFC 3161 time-stamping authority over HTTP (POST application/timestamp-query)')
    .requiredOption('--key <key.pem>', 'the TSA private key (PKCS#8 or SEC1 PEM, plain or encrypted)')
    .requiredOption('--cert <chain.pem>', 'the TSA certificate first (critical EKU id-kp-timeStamping), then its CA certificates')
    .option('--passphrase-env <VAR>', 'environment variable holding the passphrase of an encrypted key')
    .option('--port <port>', 'TCP port; 0 picks a free one', '3161')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--policy <OID>', 'TSA policy OID written into every token', DEFAULT_POLICY)
    .addHelpText(
      'after',
      `
Prints the URL it listens on, then answers until SIGINT (Ctrl-C) or SIGTERM. Tokens are signed with
the key's algorithm (ES256, EdDSA, PS256 or SM2SM3), carry the request's nonce, ESS
signing-certificate-v2 and a one-second accuracy; SHA-1 imprints are refused (badAlg).
Bodies over 8 KiB get 413, other content types 415.

Examples:
  $ elicense tsa --key tsa.key.pem --cert tsa-chain.pem
  $ KEY_PASS='…' elicense tsa --key tsa.key.pem --passphrase-env KEY_PASS --cert tsa-chain.pem --port 8318 --policy 1.2.3.4.1
  $ openssl ts -query -data file.pdf -sha256 -cert -out q.tsq
  $ curl -s -H 'Content-Type: application/timestamp-query' --data-binary @q.tsq http://127.0.0.1:3161/ -o r.tsr
  $ openssl ts -verify -data file.pdf -in r.tsr -CAfile root.pem -untrusted tsa-chain.pem`,
    )
    .action(async (flags: TsaFlags) => {
      const port = integerOption(flags.port, '--port', 0, 65535);
      const key = await loadPrivateKey(flags.key, flags.passphraseEnv);
      const certificates = await loadCertificates(flags.cert, 'certificate chain');
      assertKeyMatchesCertificate(key, certificates[0]!, flags.key, flags.cert);
      let authority;
      try {
        authority = createTimeStampAuthority({ signer: createSigner(key, certificates.map((c) => c.der)), policy: flags.policy });
      } catch (error) {
        if (isElicenseError(error)) throw new UsageError(`${error.message} (${error.code})`);
        throw error;
      }
      let tsa;
      try {
        tsa = await startTsaServer(authority, flags.host, port);
      } catch (error) {
        throw new UsageError(`cannot listen on ${flags.host}:${port}: ${(error as Error).message}`);
      }
      process.stdout.write(`RFC 3161 time-stamping authority (${key.alg}, policy ${flags.policy}) listening on ${tsa.url}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void tsa.close().then(resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      process.stdout.write('time-stamping authority stopped\n');
    });
}
