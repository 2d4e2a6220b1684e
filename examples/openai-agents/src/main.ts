// `npm start`: the support ticket on the OpenAI Agents SDK, then `agentrail verify` and `log`.
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runAgentrail } from '@agentrail/example-support-agent';
import { runOpenAIAgentsSupport } from './agent.js';

const USAGE = `usage: npm start -w @agentrail/example-openai-agents -- [--data-dir <dir>] [--forward <otlp-traces-url>]`;

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
  const dataDir = resolve(values['data-dir'] ?? join('agentrail-data', 'openai-agents'));

  console.log('── support agent (OpenAI Agents SDK) ─────────────────────────');
  const result = await runOpenAIAgentsSupport({ dataDir, ...(values.forward ? { forwardTo: values.forward } : {}) });
  console.log(`  agent: ${result.answer}`);
  console.log(`  ${result.recorded} audit records written to ${join(result.dataDir, 'log')} (trace ${result.traceId})`);
  if (result.forwardUrl) console.log(`  traces forwarded to ${result.forwardUrl}`);

  console.log('\n── agentrail verify ──────────────────────────────────────────');
  const verify = runAgentrail(['verify', result.dataDir, '--vkey', result.verifierKeyPath]);
  process.stdout.write(verify.stdout);
  process.stderr.write(verify.stderr);
  if (verify.status !== 0) return verify.status;

  console.log('\n── agentrail log (this ticket) ───────────────────────────────');
  const log = runAgentrail(['log', result.dataDir, '--trace', result.traceId]);
  process.stdout.write(log.stdout);
  process.stderr.write(log.stderr);
  return log.status;
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
