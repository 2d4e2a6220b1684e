import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CliError } from './errors.js';

/**
 * Commands take either a data dir (holding `log/` and the key files) or a log dir itself.
 * Returns both, resolved against cwd.
 */
export async function resolveLogDir(dir: string, cwd: string): Promise<{ logDir: string; dataDir: string | null }> {
  const abs = resolve(cwd, dir);
  const st = await stat(abs).catch(() => null);
  if (!st) throw new CliError(`${dir}: no such directory`, 2, 'ERR_CLI_NO_DIR');
  if (!st.isDirectory()) throw new CliError(`${dir}: not a directory`, 2, 'ERR_CLI_NO_DIR');
  const nested = join(abs, 'log');
  const nestedSt = await stat(nested).catch(() => null);
  if (nestedSt?.isDirectory()) return { logDir: nested, dataDir: abs };
  return { logDir: abs, dataDir: null };
}

/** The one verifier key (`*.vkey`) stored in a data dir (or its `keys/`), if there is exactly one. */
export async function findVerifierKeyFile(dataDir: string): Promise<string> {
  const found: string[] = [];
  for (const d of [dataDir, join(dataDir, 'keys')]) {
    const names = await readdir(d).catch(() => [] as string[]);
    for (const n of names) if (n.endsWith('.vkey')) found.push(join(d, n));
  }
  if (found.length === 0) throw new CliError(`no verifier key given and none found in ${dataDir}: pass --vkey <file|key>`);
  if (found.length > 1) throw new CliError(`several verifier keys in ${dataDir} (${found.join(', ')}): choose one with --vkey`);
  return found[0]!;
}
