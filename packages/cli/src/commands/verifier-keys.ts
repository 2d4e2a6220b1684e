import { readVerifierKey } from '@agentrail/ledger';
import { CliError } from '../errors.js';
import { findVerifierKeyFile } from '../paths.js';
import { writeLine, type CommandIo } from '../io.js';

/**
 * Resolve `--vkey` values (files or key strings). Without one, fall back to the key stored in
 * the data dir, with a warning: a key kept beside the log proves little against whoever can
 * rewrite the log.
 */
export async function loadVerifierKeys(
  vkeys: readonly string[] | undefined,
  dataDir: string | null,
  io: CommandIo,
  quiet: boolean,
): Promise<string[]> {
  const sources = vkeys && vkeys.length > 0 ? [...vkeys] : [];
  if (sources.length === 0) {
    if (!dataDir) throw new CliError('no verifier key: pass --vkey <file|key>');
    sources.push(await findVerifierKeyFile(dataDir));
    if (!quiet) writeLine(io.stderr, `warning: using ${sources[0]}, stored beside the log; pin the key with --vkey for real assurance`);
  }
  const keys: string[] = [];
  for (const s of sources) {
    try {
      keys.push(await readVerifierKey(s));
    } catch (err) {
      throw new CliError(`cannot use verifier key ${s}: ${(err as Error).message}`);
    }
  }
  return keys;
}
