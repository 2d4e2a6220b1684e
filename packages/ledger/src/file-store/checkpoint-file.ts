// Reading the stored checkpoint note without verifying it (verification needs the caller's keys).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseCheckpoint, type Checkpoint } from '../checkpoint.js';
import { LedgerError } from '../errors.js';
import { CHECKPOINT_FILE } from './layout.js';

/** The latest published signed checkpoint note of a ledger directory (read-only, no lock). */
export async function readCheckpointNote(dir: string): Promise<string> {
  try {
    return await readFile(join(dir, CHECKPOINT_FILE), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new LedgerError('ERR_LEDGER_NOT_FOUND', `No checkpoint in ${dir}: it is not a ledger directory or nothing was published yet.`);
    }
    throw new LedgerError('ERR_LEDGER_NOT_FOUND', `Cannot read the checkpoint in ${dir}: ${(e as Error).message}.`, { cause: e });
  }
}

/** The checkpoint body of a note, split at the last blank line, unverified. */
export function checkpointOfNote(note: string): Checkpoint {
  const split = note.lastIndexOf('\n\n');
  return parseCheckpoint(split < 0 ? note : note.slice(0, split + 1));
}
