// The collector's signing key, in the data-dir layout every agentrail tool shares (see
// docs/internals.md): `<dataDir>/<name>.key` (mode 0600) and `<dataDir>/<name>.vkey`.
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { loadOrCreateSignerKey, readSignerKeyFile, verifierKeyFor } from '@agentrail/ledger';

interface SigningKeys {
  signerKey: string;
  verifierKey: string;
  signerKeyPath: string;
  /** File holding the matching verifier key, when there is one. */
  verifierKeyPath: string | null;
  /** True when this call created the key pair. */
  created: boolean;
}

/** Reads an explicit signer key file; the verifier key path is its `<base>.vkey` sibling if that matches. */
export async function loadKeyFile(signerKeyPath: string): Promise<SigningKeys> {
  const signerKey = await readSignerKeyFile(signerKeyPath);
  const verifierKey = verifierKeyFor(signerKey);
  const sibling = join(dirname(signerKeyPath), basename(signerKeyPath).replace(/\.key$/, '') + '.vkey');
  const onDisk = await readFile(sibling, 'utf8').then((s) => s.trim(), () => null);
  return { signerKey, verifierKey, signerKeyPath, verifierKeyPath: onDisk === verifierKey ? sibling : null, created: false };
}

/** The data directory's key pair, created on first run under `name` (also the log origin). */
export async function loadOrCreateDataDirKeys(dataDir: string, name: string): Promise<SigningKeys> {
  return loadOrCreateSignerKey(dataDir, name).catch((err: unknown) => {
    // Two collectors started on one fresh data dir at once: the loser reads the winner's key.
    if ((err as { code?: string }).code !== 'ERR_KEY_FILE_EXISTS') throw err;
    return loadOrCreateSignerKey(dataDir, name);
  });
}
