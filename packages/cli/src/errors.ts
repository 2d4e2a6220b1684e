/** Exit codes shared by every command: 0 ok, 1 verification failed, 2 usage or I/O problem. */
export const EXIT_OK = 0;
export const EXIT_VERIFY_FAILED = 1;
export const EXIT_USAGE = 2;

/**
 * An error a command throws to end the run with one clear sentence and an exit code.
 * Only `main.ts` turns it into `process.exit`.
 */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number = EXIT_USAGE,
    readonly code: string = 'ERR_CLI_USAGE',
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}
