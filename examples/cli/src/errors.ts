/** A usage problem: the CLI prints the message as one line and exits with status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const EXIT = { passed: 0, failed: 1, usage: 2, indeterminate: 3 } as const;
