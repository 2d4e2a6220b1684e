// The collector's signing key in the data directory layout the CLI reads:
// `<dataDir>/keys/signer.key` (mode 0600) and `<dataDir>/keys/verifier.key`.
import { mkdir, open, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { generateKey, readSignerKeyFile, verifierKeyFor } from '@agentrail/ledger';

export interface SigningKeys {
  signerKey: string;
  verifierKey: string;
  signerKeyPath: string;
  /** File holding the matching verifier key, when there is one. */
  verifierKeyPath: string | null;
  /** True when this call created the key pair. */
  created: boolean;
}

export function defaultKeyPaths(dataDir: string): { signerKeyPath: string; verifierKeyPath: string } {
  return { signerKeyPath: join(dataDir, 'keys', 'signer.key'), verifierKeyPath: join(dataDir, 'keys', 'verifier.key') };
}

/** Reads an explicit signer key file; the verifier key path is its `verifier.key` sibling if that matches. */
export async function loadKeyFile(signerKeyPath: string): Promise<SigningKeys> {
  const signerKey = await readSignerKeyFile(signerKeyPath);
  const verifierKey = verifierKeyFor(signerKey);
  const sibling = join(dirname(signerKeyPath), 'verifier.key');
  const onDisk = await readFile(sibling, 'utf8').then((s) => s.trim(), () => null);
  return { signerKey, verifierKey, signerKeyPath, verifierKeyPath: onDisk === verifierKey ? sibling : null, created: false };
}

/** The data directory's key pair, created on first run under `name` (also the log origin). */
export async function loadOrCreateDataDirKeys(dataDir: string, name: string): Promise<SigningKeys> {
  const { signerKeyPath, verifierKeyPath } = defaultKeyPaths(dataDir);
  const exists = await stat(signerKeyPath).then(() => true, () => false);
  if (!exists) {
    const { signerKey, verifierKey } = generateKey(name);
    await mkdir(dirname(signerKeyPath), { recursive: true, mode: 0o700 });
    const wrote = await writeNewFile(signerKeyPath, signerKey + '\n', 0o600);
    if (wrote) {
      await writeNewFile(verifierKeyPath, verifierKey + '\n', 0o644, true);
      return { signerKey, verifierKey, signerKeyPath, verifierKeyPath, created: true };
    }
    // Another process created it first; use theirs.
  }
  const keys = await loadKeyFile(signerKeyPath);
  if (keys.verifierKeyPath === null) {
    await writeNewFile(verifierKeyPath, keys.verifierKey + '\n', 0o644, true);
    return { ...keys, verifierKeyPath };
  }
  return keys;
}

/** Creates a file that must not exist yet (fsynced); false if it already exists. */
async function writeNewFile(path: string, text: string, mode: number, replace = false): Promise<boolean> {
  let fh;
  try {
    fh = await open(path, replace ? 'w' : 'wx', mode);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    await fh.chmod(mode);
    await fh.writeFile(text);
    await fh.sync();
  } finally {
    await fh.close();
  }
  return true;
}
