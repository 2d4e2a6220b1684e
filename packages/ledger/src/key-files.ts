// Key files, for the edges (CLI, serve): `<name>.key` holds the signer key (mode 0600) and
// `<name>.vkey` the verifier key. A private key file readable by group or others is refused.
import { mkdir, open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { KeyError } from './errors.js';
import { generateKey, parseSignerKey, parseVerifierKey, verifierKeyFor } from './keys.js';

/** File-name-safe form of a key name (origins may contain '/'). */
export function keyFileBase(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_');
}

/** `<dir>/<base>.key` and `<dir>/<base>.vkey` for key `name`. */
function keyFilePaths(dir: string, name: string): { signerKeyPath: string; verifierKeyPath: string } {
  const base = keyFileBase(name);
  return { signerKeyPath: join(dir, `${base}.key`), verifierKeyPath: join(dir, `${base}.vkey`) };
}

const exists = (path: string): Promise<boolean> => stat(path).then(() => true, () => false);

async function writeNew(path: string, text: string, mode: number): Promise<void> {
  let fh;
  try {
    fh = await open(path, 'wx', mode);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new KeyError('ERR_KEY_FILE_EXISTS', `Key file ${path} already exists; refusing to overwrite it.`);
    }
    throw new KeyError('ERR_KEY_FILE_UNREADABLE', `Cannot create key file ${path}: ${(e as Error).message}.`, { cause: e });
  }
  try {
    await fh.chmod(mode); // the umask may have narrowed or widened nothing; make it exact
    await fh.writeFile(text);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export async function writeKeyFiles(dir: string, name: string): Promise<{ signerKeyPath: string; verifierKeyPath: string; verifierKey: string; signerKey: string }> {
  const { signerKey, verifierKey } = generateKey(name);
  await mkdir(dir, { recursive: true });
  const { signerKeyPath, verifierKeyPath } = keyFilePaths(dir, name);
  await writeNew(signerKeyPath, signerKey + '\n', 0o600);
  await writeNew(verifierKeyPath, verifierKey + '\n', 0o644);
  return { signerKeyPath, verifierKeyPath, verifierKey, signerKey };
}

export async function readSignerKeyFile(path: string): Promise<string> {
  let mode: number;
  let text: string;
  try {
    mode = (await stat(path)).mode;
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new KeyError('ERR_KEY_FILE_UNREADABLE', `Cannot read private key file ${path}: ${(e as Error).message}.`, { cause: e });
  }
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw new KeyError(
      'ERR_KEY_FILE_PERMISSIONS',
      `Private key file ${path} is readable by group or others (mode ${(mode & 0o777).toString(8)}); run chmod 600 on it.`,
    );
  }
  const key = text.trim();
  parseSignerKey(key);
  return key;
}

/** A verifier key given as the key string itself or as a file holding it. */
export async function readVerifierKey(fileOrString: string): Promise<string> {
  const s = fileOrString.trim();
  if (!s.includes('/') || s.split('+').length >= 3) {
    try {
      parseVerifierKey(s);
      return s;
    } catch {
      // not a key string; try it as a path
    }
  }
  let text: string;
  try {
    text = await readFile(fileOrString, 'utf8');
  } catch (e) {
    throw new KeyError('ERR_KEY_INVALID', `${JSON.stringify(fileOrString)} is neither a verifier key nor a readable key file.`, { cause: e });
  }
  const key = text.trim();
  parseVerifierKey(key);
  return key;
}

/** The signer key in `dataDir` for `name`, creating the key files on first use. */
export async function loadOrCreateSignerKey(
  dataDir: string,
  name: string,
): Promise<{ signerKey: string; verifierKey: string; created: boolean; signerKeyPath: string; verifierKeyPath: string }> {
  const { signerKeyPath, verifierKeyPath } = keyFilePaths(dataDir, name);
  if (await exists(signerKeyPath)) {
    const signerKey = await readSignerKeyFile(signerKeyPath);
    const verifierKey = verifierKeyFor(signerKey);
    if (!(await exists(verifierKeyPath))) {
      await writeNew(verifierKeyPath, verifierKey + '\n', 0o644);
    }
    return { signerKey, verifierKey, created: false, signerKeyPath, verifierKeyPath };
  }
  const made = await writeKeyFiles(dataDir, name);
  return { signerKey: made.signerKey, verifierKey: made.verifierKey, created: true, signerKeyPath, verifierKeyPath };
}

