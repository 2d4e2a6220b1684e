// The frameworks are optional peers: the package's main entry must never load them, and each
// bridge subpath loads only its own. A resolve hook in a child process refuses the frameworks and
// records everything else that gets resolved.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const PEERS = ['ai', '@openai/agents-core', '@langchain/core', '@arizeai/openinference-instrumentation-langchain'];

function importWithPeersBlocked(specifier: string, allowed: readonly string[] = []): { ok: boolean; output: string } {
  const blocked = PEERS.filter((p) => !allowed.includes(p));
  const hooks = `
    const blocked = ${JSON.stringify(blocked)};
    export async function resolve(specifier, context, next) {
      if (blocked.some((p) => specifier === p || specifier.startsWith(p + '/'))) {
        throw new Error('optional peer loaded: ' + specifier);
      }
      return next(specifier, context);
    }`;
  const script = `
    import { register } from 'node:module';
    register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hooks)}));
    await import(${JSON.stringify(specifier)});
    console.log('imported');`;
  const r = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return { ok: r.status === 0 && r.stdout.includes('imported'), output: r.stdout + r.stderr };
}

test('the main entry loads none of the optional framework peers', () => {
  const r = importWithPeersBlocked('@agentrail/instrumentation');
  assert.ok(r.ok, r.output);
});

test('each bridge loads only its own framework', () => {
  assert.ok(importWithPeersBlocked('@agentrail/instrumentation/ai-sdk', ['ai']).ok);
  assert.ok(importWithPeersBlocked('@agentrail/instrumentation/openai-agents', ['@openai/agents-core']).ok);
  const langchain = importWithPeersBlocked('@agentrail/instrumentation/langchain', [
    '@langchain/core',
    '@arizeai/openinference-instrumentation-langchain',
  ]);
  assert.ok(langchain.ok, langchain.output);
  // The hook really blocks: a bridge without its framework fails to load.
  const blockedRun = importWithPeersBlocked('@agentrail/instrumentation/openai-agents');
  assert.equal(blockedRun.ok, false);
  assert.match(blockedRun.output, /optional peer loaded: @openai\/agents-core/);
});
