// `npm start`: the support ticket on the OpenAI Agents SDK, then `agentrail verify` and `log`.
import { join } from 'node:path';
import { auditWalkthrough, parseExampleArgs, runMain } from '@agentrail/example-support-agent';
import { runOpenAIAgentsSupport } from './agent.js';

const USAGE = `usage: npm start -w @agentrail/example-openai-agents -- [--data-dir <dir>] [--forward <otlp-traces-url>]`;

runMain(async () => {
  const args = parseExampleArgs(USAGE, join('agentrail-data', 'openai-agents'));
  if (typeof args === 'number') return args;

  console.log('── support agent (OpenAI Agents SDK) ─────────────────────────');
  const result = await runOpenAIAgentsSupport(args);
  console.log(`  agent: ${result.answer}`);
  console.log(`  ${result.recorded} audit records written to ${join(result.dataDir, 'log')} (trace ${result.traceId})`);
  if (result.forwardUrl) console.log(`  traces forwarded to ${result.forwardUrl}`);
  return auditWalkthrough(result);
});
