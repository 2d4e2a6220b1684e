// One writer per ledger directory. The lock file holds the writer's pid and process start time;
// a lock whose process is gone (kill -9), or whose pid now belongs to another process (pid reuse,
// e.g. pid 1 in a restarted container), is taken over.
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { link, readFile, realpath, rename, rm, writeFile } from 'node:fs/promises';
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
  if (!Number.isInteger(pid) || pid <= 0) return true; // not written by us: unreadable
  // Our own pid: locked only if this process really holds it (not a previous life of this pid).
  if (pid === process.pid) return !heldHere.has(dirKey);
  if (!alive(pid)) return true;
  const now = started === '' ? '' : startTime(pid);
  return now !== '' && now !== started;
}

/** Create the lock file with its content in one step (link fails if it exists). */
async function tryCreate(path: string, content: string): Promise<boolean> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(tmp, content, { mode: 0o644 });
  try {
    await link(tmp, path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    await rm(tmp, { force: true });
  }
}

/** Move a stale lock aside; if another process replaced it meanwhile, put theirs back. */
async function takeOver(path: string, staleText: string): Promise<void> {
  const aside = `${path}.stale.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    await rename(path, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  const moved = await readFile(aside, 'utf8').catch(() => staleText);
  if (moved !== staleText) await link(aside, path).catch(() => {});
  await rm(aside, { force: true });
}

/** Take the writer lock of `dir`; returns a release function. */
export async function acquireLock(dir: string): Promise<() => Promise<void>> {
  const path = join(dir, LOCK_FILE);
  const dirKey = await realpath(dir);
  if (heldHere.has(dirKey)) {
    throw new LedgerError('ERR_LEDGER_LOCKED', `Ledger ${dir} is already open in this process; close it first.`);
  }
  for (let attempt = 0; attempt < 5; attempt++) {
    if (await tryCreate(path, `${process.pid} ${startTime(process.pid)}\n`)) {
      heldHere.add(dirKey);
      return async () => {
        heldHere.delete(dirKey);
        await rm(path, { force: true });
      };
    }
    const text = await readFile(path, 'utf8').catch(() => '');
    if (text !== '' && !isStale(text, dirKey)) {
      const pid = Number.parseInt(text, 10);
      throw new LedgerError(
        'ERR_LEDGER_LOCKED',
        `Ledger ${dir} is open by another writer (pid ${pid}); close it first, or remove ${path} if no ledger writer is running.`,
      );
    }
    if (text !== '') await takeOver(path, text);
  }
  throw new LedgerError('ERR_LEDGER_LOCKED', `Ledger ${dir} lock could not be taken; another writer keeps racing for it.`);
}
