import { resolve } from 'node:path';
import { verifyLedger, VerificationError } from '@agentrail/ledger';
import { CliError, EXIT_VERIFY_FAILED } from '../errors.js';
import { processIo, writeJson, writeLine, type CommandIo } from '../io.js';
import { resolveLogDir } from '../paths.js';
import { progressBar } from '../progress.js';
import { loadVerifierKeys } from './verifier-keys.js';

export interface VerifyOptions {
  /** Data dir or log dir. */
  dir: string;
  /** Verifier keys: files or key strings. Default: the one `*.vkey` in the data dir (with a warning). */
  vkey?: string[];
  /** State file holding the last checkpoint this verifier trusted; catches rollback and forks. */
  state?: string;
  json?: boolean;
}

export type VerifyResult =
  | {
      ok: true;
      dir: string;
      size: number;
      origin: string;
      rootHash: string;
      checkpointSize: number;
      signers: string[];
      trusted: { previousSize: number | null; size: number } | null;
    }
  | { ok: false; dir: string; code: string; index: number | null; message: string };

export async function verifyCommand(opts: VerifyOptions, io: CommandIo = processIo()): Promise<VerifyResult> {
  const { logDir, dataDir } = await resolveLogDir(opts.dir, io.cwd);
  const verifierKeys = await loadVerifierKeys(opts.vkey, dataDir, io, Boolean(opts.json));
  const bar = progressBar(io, 'verifying');
  let report;
  try {
    report = await verifyLedger(logDir, {
      verifierKeys,
      trustedStatePath: opts.state ? resolve(io.cwd, opts.state) : undefined,
      onProgress: (done: number, total: number) => bar.update(done, total),
    });
  } catch (err) {
    bar.done();
    if (err instanceof VerificationError) {
      const e = err as VerificationError & { index?: number | null };
      const result: VerifyResult = { ok: false, dir: logDir, code: e.code, index: e.index ?? null, message: e.message };
      if (opts.json) writeJson(io.stdout, result);
      else writeLine(io.stdout, `FAILED: ${e.message}`);
      throw new CliError(e.message, EXIT_VERIFY_FAILED, e.code, { reported: true, index: result.index });
    }
    throw new CliError(`cannot verify ${opts.dir}: ${(err as Error).message}`, 2, (err as { code?: string }).code ?? 'ERR_CLI_IO');
  }
  bar.done();
  const result: VerifyResult = {
    ok: true,
    dir: logDir,
    size: report.size,
    origin: report.origin,
    rootHash: report.rootHash,
    checkpointSize: report.checkpointSize,
    signers: report.signatures.map((sig) => `${sig.name}+${sig.keyId}`),
    trusted: report.trusted ?? null,
  };
  if (opts.json) writeJson(io.stdout, result);
  else {
    writeLine(io.stdout, `OK: ${result.size.toLocaleString('en-US')} ${result.size === 1 ? 'entry' : 'entries'} verified in ${logDir}`);
    writeLine(io.stdout, `  origin ${result.origin}, checkpoint size ${result.checkpointSize}, root ${result.rootHash}`);
    if (result.trusted) {
      const prev = result.trusted.previousSize === null ? 'none' : String(result.trusted.previousSize);
      writeLine(io.stdout, `  consistent with the trusted checkpoint (size ${prev}); state now at size ${result.trusted.size}`);
    }
  }
  return result;
}
