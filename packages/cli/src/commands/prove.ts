import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { openLedgerReader } from '@agentrail/ledger';
import { CliError } from '../errors.js';
import { processIo, writeJson, writeLine, type CommandIo } from '../io.js';
import { resolveLogDir } from '../paths.js';

export interface ProveOptions {
  dir: string;
  index: string | number;
  /** Write the receipt here instead of stdout. */
  out?: string;
  /** Also write the entry's exact bytes here (what `verify-proof --entry` checks). */
  entryOut?: string;
  json?: boolean;
}

export interface ProveResult {
  index: number;
  size: number;
  receipt: string;
  out: string | null;
  entryOut: string | null;
}

export function parseIndex(raw: string | number): number {
  const s = String(raw);
  if (!/^(0|[1-9][0-9]*)$/.test(s) || !Number.isSafeInteger(Number(s))) {
    throw new CliError(`index "${s}" is not a non-negative integer`);
  }
  return Number(s);
}

/** Write a c2sp.org/tlog-proof@v1 receipt for one entry, against the latest published checkpoint. */
export async function proveCommand(opts: ProveOptions, io: CommandIo = processIo()): Promise<ProveResult> {
  const index = parseIndex(opts.index);
  const { logDir } = await resolveLogDir(opts.dir, io.cwd);
  let receipt: string;
  let size: number;
  let entry: Uint8Array | null = null;
  const reader = await openLedgerReader(logDir).catch((err: Error) => {
    throw new CliError(`cannot open log ${opts.dir}: ${err.message}`);
  });
  try {
    size = reader.size;
    if (index >= size) {
      throw new CliError(`index ${index} is not covered by the latest checkpoint (size ${size})`);
    }
    receipt = await reader.receipt(index);
    if (opts.entryOut) entry = await reader.readEntry(index);
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`cannot prove index ${index}: ${(err as Error).message}`);
  } finally {
    await reader.close();
  }
  const out = opts.out ? resolve(io.cwd, opts.out) : null;
  if (out) await writeFile(out, receipt);
  const entryOut = opts.entryOut ? resolve(io.cwd, opts.entryOut) : null;
  if (entryOut && entry) await writeFile(entryOut, entry);
  const result: ProveResult = { index, size, receipt, out, entryOut };
  if (opts.json) writeJson(io.stdout, result);
  else {
    if (out) writeLine(io.stdout, `receipt for index ${index} (checkpoint size ${size}) written to ${out}`);
    else io.stdout.write(receipt);
    if (entryOut) writeLine(out ? io.stdout : io.stderr, `entry ${index} written to ${entryOut}`);
  }
  return result;
}
