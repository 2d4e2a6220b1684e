// Ledger benchmarks: durable group-committed appends, proof latency and full verification of a
// 1,000,000-entry log, and memory at 100k vs 1M entries (writer and verifier). Figures carry
// ratios to machine limits.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  generateKey, leafHash, openFileLedger, openNote, parseCheckpoint, verifyInclusion, verifyLedger,
} from '@agentrail/ledger';
import { flushFigures, machineLimits, median, percentile, report, section } from './lib.js';

const ENTRY = 1024;
const gc = (globalThis as { gc?: () => void }).gc;
/** Resident memory after a full GC, so the figure reflects what the ledger keeps, not garbage. */
const rssMiB = (): number => {
  gc?.();
  return process.memoryUsage().rss / 1024 / 1024;
};

function entries(n: number, seed: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    const b = Buffer.alloc(ENTRY, (seed + i) & 0xff);
    b.writeUInt32BE(seed + i, 0);
    out.push(b);
  }
  return out;
}

/**
 * verifyLedger in a fresh process running the built package, as `agentrail verify` does, so its
 * peak RSS is the verifier's own (main thread and workers), not this process's writer heap.
 */
async function verifyInFreshProcess(dir: string, verifierKey: string): Promise<{ rate: number; peakRssMiB: number }> {
  const dist = new URL('../packages/ledger/dist/index.js', import.meta.url).href;
  const script = `
    const { verifyLedger } = await import(${JSON.stringify(dist)});
    const t0 = performance.now();
    const r = await verifyLedger(process.argv[1], { verifierKeys: [process.argv[2]] });
    const secs = (performance.now() - t0) / 1000;
    // VmHWM is this process image's own peak; getrusage's maxRSS can carry the forking parent's.
    const { readFileSync } = await import('node:fs');
    let kib = process.resourceUsage().maxRSS;
    try { kib = Number(/VmHWM:\\s+(\\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))[1]); } catch {}
    console.log(JSON.stringify({ rate: r.size / secs, peakRssMiB: kib / 1024 }));`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script, dir, verifierKey]);
  return JSON.parse(stdout) as { rate: number; peakRssMiB: number };
}


const limits = await machineLimits();
const { signerKey, verifierKey } = generateKey('bench.example');
const root = await mkdtemp(join(tmpdir(), 'agentrail-bench-ledger-'));
try {
  section('durable append, concurrent batches of 512 x 1 KiB');
  {
    const ledger = await openFileLedger(join(root, 'append'), { signerKey });
    const writers = 8;
    const batchesPerWriter = 40;
    const batch = entries(512, 1);
    await ledger.append(batch); // warm up
    const t0 = performance.now();
    await Promise.all(Array.from({ length: writers }, async () => {
      for (let b = 0; b < batchesPerWriter; b++) await ledger.append(batch);
    }));
    const secs = (performance.now() - t0) / 1000;
    const rate = (writers * batchesPerWriter * 512) / secs;
    const bound = Math.min(limits.sha256OneCore / 2, limits.fsync512);
    report({ bench: 'ledger', name: `append (${writers} writers x 512-entry batches)`, value: rate, unit: 'entries/s', ratio: { of: 'min(sha256 1-core/2, fsync512)', value: rate / bound }, target: '>= 100,000/s and >= 50%', met: rate >= 100_000 && rate >= bound / 2 });
    const s = ledger.stats;
    report({ bench: 'ledger', name: 'append calls per group commit', value: s.appendCalls / s.commits, unit: 'calls' });
    await ledger.close();
  }

  section('1,000,000-entry log');
  const dir = join(root, 'big');
  {
    const ledger = await openFileLedger(dir, { signerKey, checkpointIntervalMs: 10_000 });
    const chunk = 8192;
    const t0 = performance.now();
    let rss100k = 0;
    for (let n = 0; n < 1_000_000; n += chunk) {
      await ledger.append(entries(Math.min(chunk, 1_000_000 - n), n));
      if (!rss100k && ledger.size >= 100_000) rss100k = rssMiB();
    }
    const rss1m = rssMiB();
    const secs = (performance.now() - t0) / 1000;
    report({ bench: 'ledger', name: 'build 1M log (8192-entry appends)', value: 1_000_000 / secs, unit: 'entries/s' });
    report({ bench: 'ledger', name: 'writer RSS at 100k entries', value: rss100k, unit: 'MiB' });
    report({ bench: 'ledger', name: 'writer RSS at 1M entries', value: rss1m, unit: 'MiB', ratio: { of: 'RSS at 100k', value: rss1m / rss100k }, target: 'flat (<= 1.25x)', met: rss1m <= rss100k * 1.25 });

    const note = await ledger.publishCheckpoint();
    const cp = parseCheckpoint(openNote(note, [verifierKey]).text);
    const times: number[] = [];
    let x = 12345;
    for (let q = 0; q < 2000; q++) {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      const i = x % cp.size;
      const data = entries(1, i)[0]!;
      const t = performance.now();
      const proof = await ledger.inclusionProof(i, cp.size);
      verifyInclusion(leafHash(data), i, cp.size, proof, cp.rootHash);
      times.push(performance.now() - t);
    }
    const med = median(times.slice(200));
    report({ bench: 'ledger', name: 'inclusion proof + verify, random index (median)', value: med, unit: 'ms', target: '< 1 ms', met: med < 1 });
    report({ bench: 'ledger', name: 'inclusion proof + verify, random index (p99)', value: percentile(times.slice(200), 99), unit: 'ms' });
    await ledger.close();
  }
  {
    const before = rssMiB();
    const t0 = performance.now();
    const r = await verifyLedger(dir, { verifierKeys: [verifierKey] });
    const secs = (performance.now() - t0) / 1000;
    const rate = r.size / secs;
    const bound = limits.sha256AllCores / 2;
    report({ bench: 'ledger', name: 'verifyLedger full 1M log', value: rate, unit: 'entries/s', ratio: { of: 'sha256 all cores/2', value: rate / bound }, target: '>= 80%', met: rate >= bound * 0.8 });
    const after = rssMiB();
    report({ bench: 'ledger', name: 'RSS after verifyLedger (was before)', value: after, unit: 'MiB', ratio: { of: 'RSS before', value: after / before } });
  }

  section('verifyLedger in a fresh process (built package, like `agentrail verify`)');
  {
    const small = join(root, 'small');
    const ledger = await openFileLedger(small, { signerKey, checkpointIntervalMs: 10_000 });
    for (let n = 0; n < 100_000; n += 8192) await ledger.append(entries(Math.min(8192, 100_000 - n), n));
    await ledger.close();
    const at100k = await verifyInFreshProcess(small, verifierKey);
    const at1m = await verifyInFreshProcess(dir, verifierKey);
    const bound = limits.sha256AllCores / 2;
    report({ bench: 'ledger', name: 'verifyLedger 1M log, fresh process', value: at1m.rate, unit: 'entries/s', ratio: { of: 'sha256 all cores/2', value: at1m.rate / bound } });
    report({ bench: 'ledger', name: 'verifyLedger 100k log, fresh process', value: at100k.rate, unit: 'entries/s', ratio: { of: 'sha256 all cores/2', value: at100k.rate / bound } });
    report({ bench: 'ledger', name: 'verifier peak RSS at 100k entries', value: at100k.peakRssMiB, unit: 'MiB' });
    report({ bench: 'ledger', name: 'verifier peak RSS at 1M entries', value: at1m.peakRssMiB, unit: 'MiB', ratio: { of: 'peak RSS at 100k', value: at1m.peakRssMiB / at100k.peakRssMiB }, target: 'flat (<= 1.25x)', met: at1m.peakRssMiB <= at100k.peakRssMiB * 1.25 });
  }
} finally {
  await rm(root, { recursive: true, force: true });
}
flushFigures();
