// Benchmark runner: runs each bench/*.bench.ts in its own process (so peak RSS and JIT state
// are per benchmark) and prints their figures. `npm run bench -- ledger` runs only matching ones;
// `--json` prints all figures as one JSON document at the end.
import { readdirSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const here = fileURLToPath(new URL('.', import.meta.url));
const args = process.argv.slice(2);
const json = args.includes('--json');
const filters = args.filter((a) => !a.startsWith('--'));
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

if (files.length === 0) {
  console.error(`no benchmark matched ${filters.join(', ')}`);
  process.exit(2);
}

const all: unknown[] = [];
let failed = 0;
for (const f of files) {
  console.log(`\n=== ${f}`);
  const code = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', '--expose-gc', join(here, f)], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, AGENTRAIL_BENCH_JSON: '1' },
    });
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.startsWith('@@FIGURES ')) all.push(...(JSON.parse(line.slice(10)) as unknown[]));
        else if (!json) console.log(line);
      }
    });
    child.on('close', (c) => resolve(c ?? 1));
  });
  if (code !== 0) {
    failed++;
    console.error(`${f} exited with ${code}`);
  }
}
if (json) console.log(JSON.stringify(all, null, 2));
process.exit(failed ? 1 : 0);
