// Collector throughput with durable acknowledgement: OTLP/protobuf requests of 512 agent spans
// with 15 attributes each, sent over 127.0.0.1 to `agentrail serve` running in its own process
// (so its RSS and CPU are its own). Beside it, two decode-only ceilings, in this process on one
// thread: the same requests decoded and discarded by protobufjs from the project's .proto files
// (the decoder the issue names: the target is half of this ceiling), and by agentrail's direct
// decoder (what the collector runs, 2-2.5x faster; its ratio is shown for information). Each
// ceiling is the best of several rounds, before the load and after it.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeTraceRequestProto, encodeTraceRequestProto, protoToNeutralSpans, toNeutralSpans, type OtlpKeyValue, type OtlpSpan } from '@agentrail/collector';
import { flushFigures, machineLimits, median, percentile, report, section } from './lib.js';

const BENCH = 'collector';
const SPANS_PER_REQUEST = 512;
const SUSTAIN_MS = 10_000;
const PACED_RATE = 5_000; // spans/s
// ~290 requests: p99 is then the 3rd slowest, not the slowest one.
const PACED_MS = 30_000;
const CONCURRENCY = 6;

const root = fileURLToPath(new URL('..', import.meta.url));

function makeRequest(): Uint8Array {
  const traceId = randomBytes(16);
  const now = BigInt(Date.now()) * 1_000_000n;
  const s = (k: string, v: string): OtlpKeyValue => ({ key: k, value: { stringValue: v } });
  const spans: OtlpSpan[] = [];
  for (let i = 0; i < SPANS_PER_REQUEST; i++) {
    const attributes: OtlpKeyValue[] = [
      s('gen_ai.operation.name', 'execute_tool'),
      s('gen_ai.agent.id', 'agent-travel'),
      s('gen_ai.agent.name', 'Travel assistant'),
      s('gen_ai.tool.name', 'book_flight'),
      s('gen_ai.tool.call.id', `call_${i}`),
      s('gen_ai.tool.type', 'function'),
      s('gen_ai.tool.call.arguments', `{"from":"CDG","to":"SFO","seat":${i},"date":"2026-12-01"}`),
      s('gen_ai.request.model', 'gpt-5-mini'),
      s('gen_ai.provider.name', 'openai'),
      s('gen_ai.conversation.id', 'conv-42'),
      s('user.id', 'user-7'),
      s('agentrail.resource.type', 'booking'),
      s('agentrail.resource.id', `bk-${i}`),
      s('agentrail.action.kind', 'write'),
      { key: 'app.attempt', value: { intValue: 1 } },
    ];
    spans.push({
      traceId, spanId: randomBytes(8), parentSpanId: new Uint8Array(0), name: 'execute_tool book_flight', kind: 3,
      startTimeUnixNano: now.toString(), endTimeUnixNano: (now + 5_000_000n).toString(), attributes, events: [], links: [],
    });
  }
  return encodeTraceRequestProto({
    resourceSpans: [{ resource: { attributes: [s('service.name', 'travel-agent'), s('service.version', '1.4.0')] }, scopeSpans: [{ scope: { name: 'bench', version: '1' }, spans }] }],
  });
}

/**
 * Spans per second one thread decodes with `decode` (to protobufjs messages or to
 * NeutralSpans), discarding them: the best of several rounds, since a ceiling is what the
 * decoder can do (a round can land on a burst of garbage collection or a busy moment of the VM,
 * and the first rounds on code not yet optimized).
 */
function decodeCeiling(bodies: Uint8Array[], decode: (b: Uint8Array) => number, rounds = 5, ms = 600): number {
  for (let i = 0; i < 100; i++) decode(bodies[i % bodies.length]!); // warm up
  let best = 0;
  for (let r = 0; r < rounds; r++) {
    let spans = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < ms) {
      for (const b of bodies) spans += decode(b);
    }
    best = Math.max(best, spans / ((performance.now() - t0) / 1000));
  }
  return best;
}

function cliArgs(args: string[]): string[] {
  if (existsSync(join(root, 'packages/cli/dist/main.js'))) return [join(root, 'packages/cli/bin/agentrail.js'), ...args];
  return ['--conditions=source', '--import', 'tsx', join(root, 'packages/cli/src/main.ts'), ...args];
}

async function startServer(data: string): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const child = spawn(process.execPath, cliArgs(['serve', '--json', '--port', '0', '--data', data]), {
    env: { ...process.env, AGENTRAIL_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((r) => child.on('close', () => r()));
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      try {
        resolve((JSON.parse(out) as { url: string }).url);
      } catch {
        // summary not complete yet
      }
    });
    void exited.then(() => reject(new Error('agentrail serve exited before listening')));
  });
  child.stdout.resume();
  return { url, pid: child.pid!, stop: async () => { child.kill('SIGTERM'); await exited; } };
}

const refusals = new Map<number, string>();

function post(agent: Agent, url: string, body: Uint8Array): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/v1/traces`, { method: 'POST', agent, headers: { 'content-type': 'application/x-protobuf', 'content-length': body.length } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        if (status !== 200 && !refusals.has(status)) refusals.set(status, Buffer.concat(chunks).toString('latin1').replace(/[^\x20-\x7e]/g, ''));
        resolve(status);
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** CPU time (user + system) another process has used so far, from /proc (Linux), in ms. */
function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in USER_HZ (100/s)
}

/** Peak RSS of another process, from /proc (Linux), in MiB. */
function peakRssOf(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

const limits = await machineLimits();
const bodies = Array.from({ length: 16 }, makeRequest);
section(`collector: OTLP/protobuf, ${SPANS_PER_REQUEST}-span requests, 15 attributes per span (${(bodies[0]!.length / 1024).toFixed(0)} KiB each)`);

const spansIn = (r: ReturnType<typeof decodeTraceRequestProto>): number => {
  let n = 0;
  for (const rs of r.resourceSpans ?? []) for (const ss of rs.scopeSpans ?? []) n += ss.spans?.length ?? 0;
  return n;
};
// The ceilings are measured before the load and again after it, and the better figure of the two
// is kept: a VM can be slow for seconds at a time, and a ceiling measured in such a spell would
// flatter the ratio.
const ceilings = (): { pbjs: number; direct: number } => ({
  pbjs: decodeCeiling(bodies, (b) => spansIn(decodeTraceRequestProto(b))),
  direct: decodeCeiling(bodies, (b) => protoToNeutralSpans(b).length),
});
const before = ceilings();
report({ bench: BENCH, name: 'decode-only ceiling: protobufjs (one thread), before the load', value: before.pbjs, unit: 'spans/s' });
report({ bench: BENCH, name: 'decode-only ceiling: agentrail direct decoder, before the load', value: before.direct, unit: 'spans/s', ratio: { of: 'protobufjs', value: before.direct / before.pbjs } });
const reflection = decodeCeiling(bodies, (b) => toNeutralSpans(decodeTraceRequestProto(b)).spans.length, 3);
report({ bench: BENCH, name: 'decode-only, protobufjs + toNeutralSpans (JSON/forward path)', value: reflection, unit: 'spans/s', ratio: { of: 'direct decoder', value: reflection / before.direct } });

const data = mkdtempSync(join(tmpdir(), 'agentrail-bench-collector-'));
const server = await startServer(data);
const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
let sustained = 0;
try {
  // Warm up the server's JIT and files.
  for (let i = 0; i < 10; i++) await post(agent, server.url, bodies[i % bodies.length]!);

  // Sustained: CONCURRENCY requests always in flight, each answered only once durable.
  let acked = 0;
  let refused = 0;
  let next = 0;
  const cpu0 = cpuMsOf(server.pid);
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() - t0 < SUSTAIN_MS) {
        const status = await post(agent, server.url, bodies[next++ % bodies.length]!);
        if (status === 200) acked += SPANS_PER_REQUEST;
        else refused++;
      }
    }),
  );
  sustained = acked / ((performance.now() - t0) / 1000);
  const cpuPerRequest = ((cpuMsOf(server.pid) - cpu0) / acked) * SPANS_PER_REQUEST;
  report({ bench: BENCH, name: `sustained, durable ack (${CONCURRENCY} requests in flight)`, value: sustained, unit: 'spans/s', target: '>= 30,000', met: sustained >= 30_000 });
  report({ bench: BENCH, name: 'sustained vs write+fsync limit (512 x 1 KiB groups)', value: sustained, unit: 'spans/s', ratio: { of: 'fsync512 limit', value: sustained / limits.fsync512 } });
  if (refused) report({ bench: BENCH, name: 'requests refused (429/503) during sustained run', value: refused, unit: 'requests' });
  // CPU per request is what other jobs on the machine disturb least: cores / it bounds throughput.
  report({ bench: BENCH, name: `collector CPU per ${SPANS_PER_REQUEST}-span request (all threads)`, value: cpuPerRequest, unit: 'ms' });
  report({ bench: BENCH, name: `CPU-bound limit on ${limits.cores} idle cores`, value: (limits.cores * 1000 * SPANS_PER_REQUEST) / cpuPerRequest, unit: 'spans/s' });

  // Paced: 5,000 spans/s as ~9.8 requests/s, open loop, latency of each.
  const interval = (SPANS_PER_REQUEST / PACED_RATE) * 1000;
  const latencies: number[] = [];
  let pacedRefused = 0;
  const inflight: Promise<void>[] = [];
  const p0 = performance.now();
  for (let i = 0; performance.now() - p0 < PACED_MS; i++) {
    const due = p0 + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const body = bodies[i % bodies.length]!;
    inflight.push((async () => {
      const s = performance.now();
      if ((await post(agent, server.url, body)) === 200) latencies.push(performance.now() - s);
      else pacedRefused++;
    })());
  }
  await Promise.all(inflight);
  if (pacedRefused) report({ bench: BENCH, name: 'requests refused during paced run (not in the latencies)', value: pacedRefused, unit: 'requests' });
  for (const [status, body] of refusals) console.log(`  (first ${status} answer: ${body.slice(0, 160)})`);
  const p99 = percentile(latencies, 99);
  report({ bench: BENCH, name: `request latency p50 at ${PACED_RATE.toLocaleString('en-US')} spans/s`, value: median(latencies), unit: 'ms' });
  report({ bench: BENCH, name: `request latency p99 at ${PACED_RATE.toLocaleString('en-US')} spans/s`, value: p99, unit: 'ms', target: '< 25 ms, none refused', met: p99 < 25 && pacedRefused === 0 });
  const rss = peakRssOf(server.pid);
  report({ bench: BENCH, name: 'collector process peak RSS', value: rss, unit: 'MiB', target: '< 300 MB', met: rss * 1.048576 < 300 });
} finally {
  agent.destroy();
  await server.stop();
  rmSync(data, { recursive: true, force: true });
}
const after = ceilings();
const pbjsCeiling = Math.max(before.pbjs, after.pbjs);
const ceiling = Math.max(before.direct, after.direct);
report({ bench: BENCH, name: 'decode-only ceiling: protobufjs, best of before/after', value: pbjsCeiling, unit: 'spans/s' });
report({ bench: BENCH, name: 'decode-only ceiling: direct decoder, best of before/after', value: ceiling, unit: 'spans/s' });
report({ bench: BENCH, name: 'sustained vs protobufjs decode-only ceiling', value: sustained / pbjsCeiling, unit: 'ratio', target: '>= 0.5', met: sustained / pbjsCeiling >= 0.5 });
// The ceiling is decoding with protobufjs. Against the collector's own decoder, which
// does the same work 2-2.5x faster, the ratio is shown for information: it is not the target.
report({ bench: BENCH, name: 'sustained vs direct-decoder ceiling (information)', value: sustained / ceiling, unit: 'ratio' });
flushFigures();
