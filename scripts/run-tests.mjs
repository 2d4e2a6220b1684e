#!/usr/bin/env node
// Runs every test file with Node's built-in runner through tsx.
// Node 20 has no glob support in `--test`, so the file list is built here.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const passThrough = process.argv.slice(2).filter((a) => a.startsWith('-'));

function collect(dir, out) {
  let names;
  try { names = readdirSync(dir); } catch { return out; }
  for (const name of names) {
    if (name === 'node_modules' || name === 'dist' || name === 'fixtures') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) collect(p, out);
    else if (name.endsWith('.test.ts')) out.push(relative(root, p));
  }
  return out;
}

const files = [];
for (const pkg of readdirSync(join(root, 'packages'))) collect(join(root, 'packages', pkg, 'test'), files);
collect(join(root, 'test'), files);
const selected = only.length ? files.filter((f) => only.some((o) => f.includes(o))) : files;
selected.sort();
if (selected.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
const args = [
  '--conditions=source',
  '--import', 'tsx',
  '--test',
  '--test-concurrency=2',
  // A hung test fails on its own instead of stalling the whole run.
  '--test-timeout=240000',
  ...passThrough,
  ...selected,
];
// Its own process group, so the watchdog can stop the test files' processes and the servers
// they started, not only the runner.
const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit', detached: true, env: { ...process.env, AGENTRAIL_TEST: '1' } });
// Last line of defence for CI: the suite takes a few minutes; 25 means something is stuck.
const watchdog = setTimeout(() => {
  console.error('test run exceeded 25 minutes; stopping it');
  process.kill(-child.pid, 'SIGKILL');
}, 25 * 60_000);
watchdog.unref();
// Outside the terminal's process group, Ctrl-C no longer reaches the tests by itself.
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.kill(-child.pid, sig));
child.on('close', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
