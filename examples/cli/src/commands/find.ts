/** `elicense find`: the licenses of a holder that an approval system may read for a purpose. */
import { Command } from 'commander';
import { formatLicenseTable } from '../output/repository.js';
import { clientConnection, CONNECTION_ENVIRONMENT, fromRepository, withClientOptions, type ClientFlags } from './repository-connection.js';

interface FindFlags extends ClientFlags {
  holder: string;
  type?: string;
  json?: boolean;
}

export function findCommand(): Command {
  return withClientOptions(
    new Command('find')
      .description('list the licenses of a holder that this client may read for a purpose (the holder\'s consent decides)')
      .requiredOption('--holder <code>', 'the holder\'s code: 统一社会信用代码 or ID number')
      .option('--type <code>', 'only licenses of this type (证照类型代码, see `elicense types`)'),
  )
    .option('--json', 'print exactly one JSON object { licenses: [...] } on stdout')
    .addHelpText(
      'after',
      `
Lists what the repository says about each license (its state included); \`elicense fetch\` reads one and
verifies it. Exit status 0, or 2 when the repository refused or could not be reached.
${CONNECTION_ENVIRONMENT}

Examples, against the demo repository (\`pnpm start\`; see \`elicense fetch --help\` for the environment):
  $ elicense find --holder <holder code> --purpose 000117001000
  $ elicense find --holder <holder code> --type 11100000MB0143028R001 --purpose 000117001000 --json`,
    )
    .action(async (flags: FindFlags) => {
      const connection = await clientConnection(flags);
      const licenses = await fromRepository(
        () => connection.client.findLicenses({ holderCode: flags.holder, ...(flags.type ? { typeCode: flags.type } : {}) }),
        { server: connection.baseUrl, clientId: connection.clientId, purpose: connection.purpose },
      );
      process.stdout.write(flags.json ? `${JSON.stringify({ licenses }, null, 2)}\n` : `${formatLicenseTable(licenses, flags.holder)}\n`);
    });
}
