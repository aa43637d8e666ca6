/**
 * The elicense command-line tool. Thin: argv → core → output. Usage problems exit 2 with one line on
 * stderr; nothing ever prints a stack trace.
 */
import { Command, CommanderError } from 'commander';
import { EXIT, UsageError } from './errors.js';
import { demoCommand } from './commands/demo.js';
import { verifyCommand } from './commands/verify.js';
import { keyCommand } from './commands/key.js';
import { caCommand } from './commands/ca.js';
import { trustListCommand } from './commands/trust-list.js';
import { statusListCommand } from './commands/status-list.js';
import { typesCommand } from './commands/types.js';
import { issueCommand } from './commands/issue.js';
import { inspectCommand } from './commands/inspect.js';
import { tsaCommand } from './commands/tsa.js';
import { sealCommand } from './commands/seal.js';
import { fetchCommand } from './commands/fetch.js';
import { findCommand } from './commands/find.js';
import { bundleCommand } from './commands/bundle.js';

const program = new Command('elicense')
  .description('Issue, inspect and verify electronic licenses (电子证照) signed as JSON (VC-JOSE-COSE) with ES256, EdDSA, PS256 or SM2.')
  .version('0.1.0')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride()
  .addHelpText(
    'after',
    `
Start here:
  $ elicense demo                      make a demo PKI, trust list and licenses, and verify them
  $ elicense verify license.jws --trust trust-list.json --status status.jws
  $ elicense fetch <identifier> --purpose 000117001000 --out license.jws
                                       read a license from a repository and verify it (see fetch --help)
  $ elicense <command> --help          every command explains itself, with examples`,
  );

program.addCommand(verifyCommand());
program.addCommand(demoCommand());
program.addCommand(keyCommand());
program.addCommand(caCommand());
program.addCommand(trustListCommand());
program.addCommand(statusListCommand());
program.addCommand(typesCommand());
program.addCommand(issueCommand());
program.addCommand(inspectCommand());
program.addCommand(tsaCommand());
program.addCommand(sealCommand());
program.addCommand(findCommand());
program.addCommand(fetchCommand());
program.addCommand(bundleCommand());

// addCommand does not pass these settings down: every command reports usage errors the same way.
for (const command of program.commands) command.exitOverride().showHelpAfterError('(run with --help for usage)');

// A reader that stops early (`elicense types | head`) closes the pipe: the rest of the output has nowhere
// to go, which is not the command's failure, and its exit status still says how it went. Any other
// failure to write the output is one line and status 2, like every other problem.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') return;
  process.stderr.write(`elicense: cannot write the output: ${error.message}\n`);
  process.exitCode = EXIT.usage;
});
process.stderr.on('error', () => undefined);

/** No top-level await: the bundle is a CommonJS script, so its compiled code can be cached (bin/elicense.mjs). */
async function main(): Promise<void> {
  try {
    await program.parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? 0 : EXIT.usage;
    } else if (error instanceof UsageError) {
      process.stderr.write(`elicense: ${error.message}\n`);
      process.exitCode = EXIT.usage;
    } else {
      const code = (error as { code?: unknown }).code;
      process.stderr.write(`elicense: ${(error as Error).message ?? String(error)}${typeof code === 'string' ? ` (${code})` : ''}\n`);
      process.exitCode = EXIT.usage;
    }
  }
}

void main();
