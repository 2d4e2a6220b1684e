// Shared helpers for benchmarks: timing, machine limits and one report format.
// Benchmarks print figures and ratios; they never fail on time.
import { createHash } from 'node:crypto';
import { mkdtempSync, openSync, writeSync, fsyncSync, closeSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

export interface Figure {
  bench: string;
  name: string;
  value: number;
  unit: string;
  /** value divided by a reference figure, e.g. a machine limit */
  ratio?: { of: string; value: number };
  target?: string;
  met?: boolean;
}

const figures: Figure[] = [];

export function report(f: Figure): void {
  figures.push(f);
  const ratio = f.ratio ? `  (${(f.ratio.value * 100).toFixed(1)}% of ${f.ratio.of})` : '';
  const target = f.target ? `  target ${f.target}: ${f.met === undefined ? '-' : f.met ? 'met' : 'NOT met'}` : '';
  console.log(`  ${f.name.padEnd(58)} ${fmt(f.value).padStart(12)} ${f.unit}${ratio}${target}`);
}

/** Print figures as one JSON line for the runner to collect (`--json`). */
export function flushFigures(): void {
  if (process.env.AGENTRAIL_BENCH_JSON) console.log('@@FIGURES ' + JSON.stringify(figures));
}

export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Math.abs(v) >= 1000) return Math.round(v).toLocaleString('en-US');
  if (Math.abs(v) >= 10) return v.toFixed(1);
  return v.toFixed(3);
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

/** Peak resident set size of this process so far, in MiB. */
export function peakRssMiB(): number {
  // resourceUsage().maxRSS is in KiB on Linux
  return process.resourceUsage().maxRSS / 1024;
}

/** SHA-256 over 1 KiB buffers in this thread, hashes per second. */
export function sha256RateOneCore(ms = 600): number {
  const buf = Buffer.alloc(1024, 7);
  let n = 0;
  const end = performance.now() + ms;
  while (performance.now() < end) {
    for (let i = 0; i < 1000; i++) createHash('sha256').update(buf).digest();
    n += 1000;
  }
  return n / (ms / 1000);
}

/** SHA-256 over 1 KiB buffers on every core at once (worker threads), hashes per second. */
export async function sha256RateAllCores(threads: number, ms = 600): Promise<number> {
  const src = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { createHash } = require('node:crypto');
    const buf = Buffer.alloc(1024, 7); let n = 0;
    const end = performance.now() + workerData.ms;
    while (performance.now() < end) { for (let i = 0; i < 1000; i++) createHash('sha256').update(buf).digest(); n += 1000; }
    parentPort.postMessage(n);`;
  const counts = await Promise.all(
    Array.from({ length: threads }, () =>
      new Promise<number>((resolve, reject) => {
        const w = new Worker(src, { eval: true, workerData: { ms } });
        w.once('message', (n: number) => { resolve(n); void w.terminate(); });
        w.once('error', reject);
      }),
    ),
  );
  return counts.reduce((a, b) => a + b, 0) / (ms / 1000);
}

/** Sequential write + fsync of 512-entry groups of 1 KiB entries, entries per second. */
export function fsyncRate512(groups = 200, entrySize = 1024): number {
  const dir = mkdtempSync(join(tmpdir(), 'agentrail-bench-fsync-'));
  const fd = openSync(join(dir, 'f'), 'w');
  const group = Buffer.alloc(512 * entrySize, 1);
  const t0 = performance.now();
  for (let g = 0; g < groups; g++) {
    writeSync(fd, group);
    fsyncSync(fd);
  }
  const secs = (performance.now() - t0) / 1000;
  closeSync(fd);
  rmSync(dir, { recursive: true, force: true });
  return (groups * 512) / secs;
}

export interface MachineLimits {
  sha256OneCore: number;
  sha256AllCores: number;
  fsync512: number;
  cores: number;
}

let cachedLimits: MachineLimits | undefined;

/** Measure the machine's own limits once per process and print them. */
export async function machineLimits(): Promise<MachineLimits> {
  if (cachedLimits) return cachedLimits;
  const { availableParallelism } = await import('node:os');
  const cores = availableParallelism();
  const sha256OneCore = sha256RateOneCore();
  const sha256AllCores = await sha256RateAllCores(cores);
  const fsync512 = fsyncRate512();
  cachedLimits = { sha256OneCore, sha256AllCores, fsync512, cores };
  console.log('machine limits');
  report({ bench: 'machine', name: 'sha256 1 KiB, one core', value: sha256OneCore, unit: 'hash/s' });
  report({ bench: 'machine', name: `sha256 1 KiB, ${cores} cores`, value: sha256AllCores, unit: 'hash/s' });
  report({ bench: 'machine', name: 'write+fsync, 512 x 1 KiB groups', value: fsync512, unit: 'entries/s' });
  return cachedLimits;
}

export function section(title: string): void {
  console.log(`\n${title}`);
}
