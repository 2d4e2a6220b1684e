// `npm start`: work one support ticket, then check the audit log like an auditor would —
// `agentrail verify` with the verifier key, and `agentrail log` to rebuild what happened.
import { join } from 'node:path';
import { runSupportAgent } from './agent.js';
import { auditWalkthrough, parseExampleArgs, runMain } from './walkthrough.js';

const USAGE = `usage: npm start -w @agentrail/example-support-agent -- [--data-dir <dir>] [--forward <otlp-traces-url>]

  --data-dir   where the audit log and keys live (default ./agentrail-data/support-agent)
  --forward    also send the traces to an OTLP/HTTP endpoint, e.g. http://localhost:4318/v1/traces
               (default: OTEL_EXPORTER_OTLP_ENDPOINT if set)`;

runMain(async () => {
  const args = parseExampleArgs(USAGE, join('agentrail-data', 'support-agent'));
  if (typeof args === 'number') return args;

  console.log('── support agent ─────────────────────────────────────────────');
  const run = await runSupportAgent(args);
  for (const call of run.toolCalls) {
    console.log(`  ${call.error ? '✗' : '✓'} ${call.toolName}${call.error ? ` — ${call.error}` : ''}`);
  }
  console.log(`  agent: ${run.answer}`);
  console.log(`  ${run.recorded} audit records written to ${join(run.dataDir, 'log')} (trace ${run.traceId})`);
  if (run.forwardUrl) console.log(`  traces forwarded to ${run.forwardUrl}`);
  return auditWalkthrough(run);
});
