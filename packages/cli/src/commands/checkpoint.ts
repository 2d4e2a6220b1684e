import { openLedgerReader, openNote } from '@agentrail/ledger';
import { CliError, EXIT_VERIFY_FAILED } from '../errors.js';
import { processIo, writeJson, type CommandIo } from '../io.js';
import { resolveLogDir } from '../paths.js';
import { loadVerifierKeys } from './verifier-keys.js';

export interface CheckpointOptions {
  dir: string;
  /** When given, the checkpoint's signature is checked with these keys. */
  vkey?: string[];
  json?: boolean;
}

export interface CheckpointResult {
  origin: string;
  size: number;
  rootHash: string;
  note: string;
  signatureVerified: boolean;
}

/** Print the latest signed checkpoint (a C2SP signed note), optionally checking its signature. */
export async function checkpointCommand(opts: CheckpointOptions, io: CommandIo = processIo()): Promise<CheckpointResult> {
  const { logDir, dataDir } = await resolveLogDir(opts.dir, io.cwd);
  // The reader parses the checkpoint (unverified) the same way every ledger tool does.
  const reader = await openLedgerReader(logDir).catch((err: Error & { code?: string }) => {
    // an unreadable checkpoint, or a log shorter than it, is evidence of tampering
    const exit = err.code === 'ERR_LEDGER_CORRUPT' ? EXIT_VERIFY_FAILED : 2;
    throw new CliError(`cannot read checkpoint in ${opts.dir}: ${err.message}`, exit, err.code ?? 'ERR_CLI_IO');
  });
  const { checkpoint, checkpointNote: note } = reader;
  await reader.close();
  let signatureVerified = false;
  if (opts.vkey && opts.vkey.length > 0) {
    const keys = await loadVerifierKeys(opts.vkey, dataDir, io, true);
    try {
      openNote(note, keys);
      signatureVerified = true;
    } catch (err) {
      throw new CliError(`checkpoint signature check failed: ${(err as Error).message}`, EXIT_VERIFY_FAILED, (err as { code?: string }).code ?? 'ERR_NOTE_INVALID');
    }
  }
  const result: CheckpointResult = {
    origin: checkpoint.origin,
    size: checkpoint.size,
    rootHash: Buffer.from(checkpoint.rootHash).toString('hex'),
    note,
    signatureVerified,
  };
  if (opts.json) writeJson(io.stdout, result);
  else io.stdout.write(note);
  return result;
}
