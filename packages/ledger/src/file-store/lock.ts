// One writer per ledger directory. The lock file holds the writer's pid and process start time;
// a lock whose process is gone (kill -9), or whose pid now belongs to another process (pid reuse,
// e.g. pid 1 in a restarted container), is taken over.
import { readFileSync } from 'node:fs';
import { open, readFile, realpath, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { LedgerError } from '../errors.js';
import { LOCK_FILE } from './layout.js';

/** Directories this process holds the writer lock of. */
const heldHere = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Start time of a process in clock ticks since boot (Linux), or '' where unknown. */
function startTime(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
  } catch {
    return '';
  }
}

function isStale(text: string, dirKey: string): boolean {
  const [pidText, started = ''] = text.trim().split(/\s+/);
  const pid = Number.parseInt(pidText ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0) return true; // half-written lock
  // Our own pid: locked only if this process really holds it (not a previous life of this pid).
  if (pid === process.pid) return !heldHere.has(dirKey);
  if (!alive(pid)) return true;
  return started !== '' && startTime(pid) !== '' && startTime(pid) !== started;
}

/** Take the writer lock of `dir`; returns a release function. */
export async function acquireLock(dir: string): Promise<() => Promise<void>> {
  const path = join(dir, LOCK_FILE);
  const dirKey = await realpath(dir);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fh = await open(path, 'wx', 0o644);
      await fh.writeFile(`${process.pid} ${startTime(process.pid)}\n`);
      await fh.sync();
      await fh.close();
      heldHere.add(dirKey);
      return async () => {
        heldHere.delete(dirKey);
        await rm(path, { force: true });
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const text = await readFile(path, 'utf8').catch(() => '');
    if (!isStale(text, dirKey)) {
      const pid = Number.parseInt(text, 10);
      throw new LedgerError(
        'ERR_LEDGER_LOCKED',
        `Ledger ${dir} is open by another writer (pid ${pid}${pid === process.pid ? ', this process' : ''}); close it first, or remove ${path} if no ledger writer is running.`,
      );
    }
    await rm(path, { force: true });
  }
  throw new LedgerError('ERR_LEDGER_LOCKED', `Ledger ${dir} lock could not be taken; another writer keeps racing for it.`);
}
