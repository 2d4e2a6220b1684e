import { decodeRecord, type AuditRecord } from '@agentrail/core';
import { readLedgerEntries } from '@agentrail/ledger';
import { CliError } from '../errors.js';
import { compileFilter, type RecordFilter } from '../filters.js';
import { processIo, writeLine, type CommandIo } from '../io.js';
import { resolveLogDir } from '../paths.js';
import { TraceGrouper } from '../timeline.js';

export interface LogOptions extends RecordFilter {
  dir: string;
  /** JSON Lines: one `{ index, record }` object per line, in log order. */
  json?: boolean;
  /** First and last index to read (inclusive / exclusive). */
  from?: number;
  to?: number;
}

export interface LogResult {
  read: number;
  shown: number;
  undecodable: number;
}

/** Reconstruct what happened: a streaming, filtered timeline of the audit records. */
export async function logCommand(opts: LogOptions, io: CommandIo = processIo()): Promise<LogResult> {
  const { logDir } = await resolveLogDir(opts.dir, io.cwd);
  const keep = compileFilter(opts);
  const result: LogResult = { read: 0, shown: 0, undecodable: 0 };
  const grouper = opts.json
    ? null
    : new TraceGrouper((lines) => {
        for (const l of lines) writeLine(io.stdout, l);
      });
  try {
    for await (const { index, data } of readLedgerEntries(logDir, { from: opts.from, to: opts.to })) {
      result.read++;
      let record: AuditRecord;
      try {
        record = decodeRecord(data);
      } catch {
        // Entries that are not audit records (e.g. written by another tool) are counted, not fatal.
        result.undecodable++;
        continue;
      }
      if (!keep(record)) continue;
      result.shown++;
      if (grouper) grouper.add({ index, record });
      else io.stdout.write(JSON.stringify({ index, record }) + '\n');
      // Respect backpressure so a million-record log piped into `head` or a file stays bounded in memory.
      if (io.stdout.writableNeedDrain) await new Promise<void>((resolve) => io.stdout.once('drain', resolve));
    }
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`cannot read log ${opts.dir}: ${(err as Error).message}`, 2, (err as { code?: string }).code ?? 'ERR_CLI_IO');
  }
  grouper?.end();
  if (!opts.json) {
    const skipped = result.undecodable ? `, ${result.undecodable} entries were not audit records` : '';
    writeLine(io.stderr, `${result.shown} of ${result.read} records shown${skipped}`);
  }
  return result;
}
