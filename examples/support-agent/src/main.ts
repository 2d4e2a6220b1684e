// `npm start`: work one support ticket, then check the audit log like an auditor would —
// `agentrail verify` with the verifier key, and `agentrail log` to rebuild what happened.
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runSupportAgent } from './agent.js';
import { runAgentrail } from './cli.js';

const USAGE = `usage: npm start -w @agentrail/example-support-agent -- [--data-dir <dir>] [--forward <otlp-traces-url>]

  --data-dir   where the audit log and keys live (default ./agentrail-data/support-agent)
  --forward    also send the traces to an OTLP/HTTP endpoint, e.g. http://localhost:4318/v1/traces
               (default: OTEL_EXPORTER_OTLP_ENDPOINT if set)`;

async function main(): Promise<number> {
  let values: { 'data-dir'?: string; forward?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: { 'data-dir': { type: 'string' }, forward: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    }));
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const dataDir = resolve(values['data-dir'] ?? join('agentrail-data', 'support-agent'));

  console.log('── support agent ─────────────────────────────────────────────');
  const run = await runSupportAgent({ dataDir, ...(values.forward ? { forwardTo: values.forward } : {}) });
  for (const call of run.toolCalls) {
    console.log(`  ${call.error ? '✗' : '✓'} ${call.toolName}${call.error ? ` — ${call.error}` : ''}`);
  }
  console.log(`  agent: ${run.answer}`);
  console.log(`  ${run.recorded} audit records written to ${join(run.dataDir, 'log')} (trace ${run.traceId})`);
  if (run.forwardUrl) console.log(`  traces forwarded to ${run.forwardUrl}`);

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

  console.log(`\nProve one record: npx agentrail prove ${run.dataDir} <index>`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exitCode = 1;
  },
);
