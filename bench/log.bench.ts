// `agentrail log` over a large log: records/s and peak RSS, in JSON Lines and timeline modes.
// Memory must not grow with the log: compare peak RSS at 100k and 1M records.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAuditPipeline, type NeutralSpan } from '@agentrail/core';
import { generateKey, openFileLedger } from '@agentrail/ledger';
import { flushFigures, report, section } from './lib.js';

const SIZES = (process.env.AGENTRAIL_BENCH_LOG_SIZES ?? '100000,1000000').split(',').map(Number);
const BIN = fileURLToPath(new URL('../packages/cli/bin/agentrail.js', import.meta.url));

function spanAt(i: number): NeutralSpan {
  const trace = (i >>> 3).toString(16).padStart(32, '0'); // 8 spans per trace
  return {
    traceId: trace,
    spanId: (i + 1).toString(16).padStart(16, '0'),
    parentSpanId: i % 8 === 0 ? null : ((i & ~7) + 1).toString(16).padStart(16, '0'),
    name: 'execute_tool lookup_customer',
    kind: 1,
    startTimeUnixNano: 1_763_870_400_000_000_000n + BigInt(i) * 1_000_000n,
    endTimeUnixNano: 1_763_870_400_000_000_000n + BigInt(i) * 1_000_000n + 500_000n,
    attributes: {
      'gen_ai.operation.name': i % 8 === 0 ? 'invoke_agent' : 'execute_tool',
      'gen_ai.tool.name': 'lookup_customer',
      'gen_ai.agent.id': `agent-${i % 5}`,
      'agentrail.principal.id': `user-${i % 97}@example.com`,
      'agentrail.principal.type': 'user',
      'gen_ai.tool.call.arguments': `{"customerId":"c-${i}"}`,
    },
    resource: { 'service.name': 'bench' },
    scope: null,
    status: { code: 1 },
    events: [],
  };
}

async function buildLog(dir: string, n: number): Promise<void> {
  const { signerKey } = generateKey('bench.example/log');
  const ledger = await openFileLedger(join(dir, 'log'), { signerKey });
  const pipeline = createAuditPipeline({ ledger });
  const batch = 2048;
  const inflight: Promise<unknown>[] = [];
  for (let i = 0; i < n; i += batch) {
    const spans = Array.from({ length: Math.min(batch, n - i) }, (_, j) => spanAt(i + j));
    inflight.push(pipeline.consume(spans, { via: 'exporter', authenticated: null }));
    if (inflight.length >= 4) await inflight.shift();
  }
  await Promise.all(inflight);
  await pipeline.shutdown();
  await ledger.close();
}

/** Run the real CLI with stdout to /dev/null; returns seconds and the child's peak RSS (MiB). */
function runLog(dir: string, args: string[]): Promise<{ secs: number; rssMiB: number }> {
  return new Promise((resolve, reject) => {
    // /usr/bin/time is not everywhere; ask node to print its own peak RSS at exit instead. That is
    // VmHWM, this process image's own peak: getrusage's maxRSS carries the forking parent's (this
    // bench, which has just built the log in memory).
    const hook = 'import{readFileSync}from"node:fs";process.on("exit",()=>process.stderr.write("@@RSS "+/VmHWM:\\s+(\\d+)/.exec(readFileSync("/proc/self/status","utf8"))[1]+"\\n"))';
    const child = spawn(
      process.execPath,
      ['--import', `data:text/javascript,${encodeURIComponent(hook)}`, BIN, 'log', dir, ...args],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    const t0 = performance.now();
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const m = /@@RSS (\d+)/.exec(err);
      if (code !== 0 || !m) return reject(new Error(`agentrail log exited ${code}: ${err}`));
      resolve({ secs: (performance.now() - t0) / 1000, rssMiB: Number(m[1]) / 1024 });
    });
  });
}

const root = await mkdtemp(join(tmpdir(), 'agentrail-bench-log-'));
try {
  for (const n of SIZES) {
    section(`agentrail log over ${n.toLocaleString('en-US')} records`);
    const dir = join(root, String(n));
    const t0 = performance.now();
    await buildLog(dir, n);
    report({ bench: 'log', name: `build log through the pipeline (${n})`, value: n / ((performance.now() - t0) / 1000), unit: 'records/s' });
    const json = await runLog(dir, ['--json']);
    report({ bench: 'log', name: `log --json (${n})`, value: n / json.secs, unit: 'records/s' });
    report({ bench: 'log', name: `log --json peak RSS (${n})`, value: json.rssMiB, unit: 'MiB' });
    const timeline = await runLog(dir, []);
    report({ bench: 'log', name: `log timeline (${n})`, value: n / timeline.secs, unit: 'records/s' });
    report({ bench: 'log', name: `log timeline peak RSS (${n})`, value: timeline.rssMiB, unit: 'MiB' });
    const filtered = await runLog(dir, ['--agent', 'agent-3', '--outcome', 'ok']);
    report({ bench: 'log', name: `log --agent --outcome (${n})`, value: n / filtered.secs, unit: 'records/s' });
    await rm(dir, { recursive: true, force: true });
  }
} finally {
  await rm(root, { recursive: true, force: true });
}
flushFigures();
