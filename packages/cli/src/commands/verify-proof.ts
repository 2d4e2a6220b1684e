import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { verifyReceipt } from '@agentrail/ledger';
import { CliError, EXIT_VERIFY_FAILED } from '../errors.js';
import { processIo, writeJson, writeLine, type CommandIo } from '../io.js';
import { loadVerifierKeys } from './verifier-keys.js';

export interface VerifyProofOptions {
  /** The receipt file (c2sp.org/tlog-proof@v1). */
  receipt: string;
  vkey: string[];
  /** File holding the exact entry bytes (for agentrail, the record's canonical JSON). */
  entry: string;
  json?: boolean;
}

export type VerifyProofResult =
  | { ok: true; index: number; size: number; origin: string }
  | { ok: false; code: string; message: string };

export async function verifyProofCommand(opts: VerifyProofOptions, io: CommandIo = processIo()): Promise<VerifyProofResult> {
  if (!opts.vkey || opts.vkey.length === 0) throw new CliError('no verifier key: pass --vkey <file|key>');
  const keys = await loadVerifierKeys(opts.vkey, null, io, true);
  const receipt = await readFile(resolve(io.cwd, opts.receipt), 'utf8').catch((err: Error) => {
    throw new CliError(`cannot read receipt ${opts.receipt}: ${err.message}`);
  });
  const entry = await readFile(resolve(io.cwd, opts.entry)).catch((err: Error) => {
    throw new CliError(`cannot read entry ${opts.entry}: ${err.message}`);
  });
  let checked;
  try {
    checked = verifyReceipt(receipt, new Uint8Array(entry.buffer, entry.byteOffset, entry.byteLength), keys);
  } catch (err) {
    const e = err as Error & { code?: string };
    const code = e.code ?? 'ERR_RECEIPT_INVALID';
    // A malformed receipt is a usage problem; a well-formed one that fails is a verification failure.
    const exit = code === 'ERR_RECEIPT_MALFORMED' || code.startsWith('ERR_KEY_') ? 2 : EXIT_VERIFY_FAILED;
    const result: VerifyProofResult = { ok: false, code, message: e.message };
    if (opts.json) writeJson(io.stdout, result);
    else if (exit === EXIT_VERIFY_FAILED) writeLine(io.stdout, `FAILED: ${e.message}`);
    throw new CliError(e.message, exit, code, { reported: exit === EXIT_VERIFY_FAILED || Boolean(opts.json) });
  }
  const result: VerifyProofResult = {
    ok: true,
    index: checked.index,
    size: checked.size,
    origin: checked.checkpoint.origin,
  };
  if (opts.json) writeJson(io.stdout, result);
  else writeLine(io.stdout, `OK: entry is at index ${result.index} of ${result.origin}, size ${result.size}`);
  return result;
}
