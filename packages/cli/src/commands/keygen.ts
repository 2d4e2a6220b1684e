import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { keyFileBase, writeKeyFiles } from '@agentrail/ledger';
import { CliError } from '../errors.js';
import { processIo, writeJson, writeLine, type CommandIo } from '../io.js';

export interface KeygenOptions {
  /** Key name; by convention the log's origin, e.g. `example.com/agents`. */
  name: string;
  /** Directory for `<name>.key` (0600) and `<name>.vkey`; default: current directory. */
  out?: string;
  /** Overwrite existing key files. */
  force?: boolean;
  json?: boolean;
}

export interface KeygenResult {
  name: string;
  signerKeyPath: string;
  verifierKeyPath: string;
  verifierKey: string;
}

export async function keygenCommand(opts: KeygenOptions, io: CommandIo = processIo()): Promise<KeygenResult> {
  if (!opts.name || /[\s+]/.test(opts.name)) {
    throw new CliError(`key name "${opts.name}" is invalid: it must be non-empty and contain no spaces or "+"`);
  }
  const dir = resolve(io.cwd, opts.out ?? '.');
  if (opts.force) {
    const base = keyFileBase(opts.name);
    await rm(join(dir, `${base}.key`), { force: true });
    await rm(join(dir, `${base}.vkey`), { force: true });
  }
  let written;
  try {
    written = await writeKeyFiles(dir, opts.name);
  } catch (err) {
    const e = err as Error & { code?: string };
    const hint = e.code === 'ERR_KEY_FILE_EXISTS' ? ' (use --force to replace it; the old key can then no longer sign)' : '';
    throw new CliError(`${e.message}${hint}`, 2, e.code ?? 'ERR_CLI_IO');
  }
  const result: KeygenResult = {
    name: opts.name,
    signerKeyPath: written.signerKeyPath,
    verifierKeyPath: written.verifierKeyPath,
    verifierKey: written.verifierKey,
  };
  if (opts.json) writeJson(io.stdout, result);
  else {
    writeLine(io.stdout, `signer key:   ${result.signerKeyPath} (mode 0600, keep it secret)`);
    writeLine(io.stdout, `verifier key: ${result.verifierKeyPath}`);
    writeLine(io.stdout, result.verifierKey);
  }
  return result;
}
