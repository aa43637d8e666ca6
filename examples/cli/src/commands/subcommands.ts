/** Command groups (`key`, `ca`, …) and how their subcommands report usage errors. */
import type { Command } from 'commander';

/**
 * addCommand passes no settings down, and a subcommand without exitOverride calls process.exit(1)
 * itself: each one is set up here to throw, so main.ts reports it like any usage error (exit 2).
 */
export function addSubcommands(parent: Command, ...children: Command[]): Command {
  for (const child of children) parent.addCommand(child.exitOverride().showHelpAfterError('(run with --help for usage)'));
  return parent;
}
