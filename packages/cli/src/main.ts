// The `agentrail` entry point: the only place that calls process.exit.
import { CommanderError } from 'commander';
import { CliError, EXIT_USAGE } from './errors.js';
import { processIo } from './io.js';
import { buildProgram } from './program.js';

// `agentrail log | head` closes stdout early; that is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const io = processIo();
const program = buildProgram(io);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  process.exitCode = exitCodeFor(err);
}

function exitCodeFor(err: unknown): number {
  if (err instanceof CommanderError) {
    // help and version exit 0; every other commander error is a usage problem
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
    return EXIT_USAGE;
  }
  if (err instanceof CliError) {
    if (!err.details?.reported) io.stderr.write(`agentrail: ${err.message}\n`);
    return err.exitCode;
  }
  // Anything else is a bug or an unexpected I/O failure: one sentence, no stack unless asked.
  const e = err as Error & { code?: string };
  io.stderr.write(`agentrail: ${e?.message ?? String(err)}${e?.code ? ` (${e.code})` : ''}\n`);
  if (process.env.AGENTRAIL_DEBUG) io.stderr.write(`${e?.stack ?? ''}\n`);
  return EXIT_USAGE;
}
