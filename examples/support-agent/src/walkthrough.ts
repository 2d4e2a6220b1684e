// The part every example shares: parse `--data-dir`/`--forward`, then check the audit log the way
// an auditor would — `agentrail verify` with the verifier key, `agentrail log` for the ticket.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runAgentrail } from './cli.js';

export interface ExampleArgs {
  dataDir: string;
  forwardTo?: string;
}

/** Parsed arguments, or an exit code when the run should stop (help printed, or a usage error). */
export function parseExampleArgs(usage: string, defaultDataDir: string, argv = process.argv.slice(2)): ExampleArgs | number {
  let values: { 'data-dir'?: string; forward?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { 'data-dir': { type: 'string' }, forward: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    }));
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${usage}`);
    return 2;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  return { dataDir: resolve(values['data-dir'] ?? defaultDataDir), ...(values.forward ? { forwardTo: values.forward } : {}) };
}

/** Verify the log with its verifier key, then print this trace's timeline. Returns an exit code. */
export function auditWalkthrough(run: { dataDir: string; verifierKeyPath: string; traceId: string }): number {
  console.log('\n── agentrail verify ──────────────────────────────────────────');
  const verify = runAgentrail(['verify', run.dataDir, '--vkey', run.verifierKeyPath]);
  process.stdout.write(verify.stdout);
  process.stderr.write(verify.stderr);
  if (verify.status !== 0) return verify.status;

  console.log('\n── agentrail log (this ticket) ───────────────────────────────');
  const log = runAgentrail(['log', run.dataDir, '--trace', run.traceId]);
  process.stdout.write(log.stdout);
  process.stderr.write(log.stderr);
  if (log.status !== 0) return log.status;

  console.log(`\nProve one record: npx agentrail prove ${run.dataDir} <index> --out record.proof --entry-out record.json`);
  return 0;
}

/** Run an example's main and set the exit code from it; a crash prints its stack. */
export function runMain(main: () => Promise<number>): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error(err instanceof Error ? (err.stack ?? err.message) : err);
      process.exitCode = 1;
    },
  );
}
