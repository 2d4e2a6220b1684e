import { openNote, parseCheckpoint, readCheckpointNote } from '@agentrail/ledger';
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
  const note = await readCheckpointNote(logDir).catch((err: Error) => {
    throw new CliError(`cannot read checkpoint in ${opts.dir}: ${err.message}`);
  });
  let text: string;
  let signatureVerified = false;
  if (opts.vkey && opts.vkey.length > 0) {
    const keys = await loadVerifierKeys(opts.vkey, dataDir, io, true);
    try {
      text = openNote(note, keys).text;
      signatureVerified = true;
    } catch (err) {
      throw new CliError(`checkpoint signature check failed: ${(err as Error).message}`, EXIT_VERIFY_FAILED, (err as { code?: string }).code ?? 'ERR_NOTE_INVALID');
    }
  } else {
    const blank = note.lastIndexOf('\n\n');
    text = blank >= 0 ? note.slice(0, blank + 1) : note;
  }
  let cp;
  try {
    cp = parseCheckpoint(text);
  } catch (err) {
    throw new CliError(`checkpoint in ${opts.dir} is malformed: ${(err as Error).message}`, EXIT_VERIFY_FAILED, 'ERR_CHECKPOINT_MALFORMED');
  }
  const result: CheckpointResult = {
    origin: cp.origin,
    size: Number(cp.size),
    rootHash: Buffer.from(cp.rootHash).toString('hex'),
    note,
    signatureVerified,
  };
  if (opts.json) writeJson(io.stdout, result);
  else io.stdout.write(note);
  return result;
}
