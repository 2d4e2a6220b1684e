import { Command, Option } from 'commander';
import { checkpointCommand } from './commands/checkpoint.js';
import { keygenCommand } from './commands/keygen.js';
import { logCommand } from './commands/log.js';
import { proveCommand } from './commands/prove.js';
import { serveCommand } from './commands/serve.js';
import { verifyProofCommand } from './commands/verify-proof.js';
import { verifyCommand } from './commands/verify.js';
import type { CommandIo } from './io.js';
import { VERSION } from './version.js';

const collect = (value: string, prev: string[] | undefined): string[] => [...(prev ?? []), value];

function int(name: string) {
  return (v: string): number => {
    if (!/^\d+$/.test(v)) throw new Error(`${name} must be a non-negative integer, not "${v}"`);
    return Number(v);
  };
}

/** Declares the commands; each action calls one command function. No process.exit here. */
export function buildProgram(io: CommandIo): Command {
  const program = new Command('agentrail')
    .description('Verifiable audit trail for AI agents: OpenTelemetry spans in, a signed Merkle log out.')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    // Set before adding commands: commander copies these settings to subcommands when they are created.
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });

  program
    .command('keygen')
    .description('create an Ed25519 signing key (signed-note format) and its verifier key')
    .requiredOption('--name <name>', 'key name, by convention the log origin (e.g. example.com/agents)')
    .option('--out <dir>', 'directory for <name>.key (0600) and <name>.vkey', '.')
    .option('--force', 'replace existing key files')
    .option('--json', 'print JSON')
    .action(async (o: { name: string; out: string; force?: boolean; json?: boolean }) => {
      await keygenCommand(o, io);
    });

  program
    .command('verify')
    .description('verify every entry, tree hash and the signed checkpoint of a log (exit 0 valid, 1 tampered, 2 error)')
    .argument('<dir>', 'data dir or log dir')
    .option('--vkey <file|key>', 'verifier key (repeatable); default: the one *.vkey in the data dir', collect)
    .option('--state <file>', 'trusted-state file: catches rollback and forks, advanced on success')
    .option('--json', 'print JSON')
    .action(async (dir: string, o: { vkey?: string[]; state?: string; json?: boolean }) => {
      await verifyCommand({ dir, ...o }, io);
    });

  program
    .command('prove')
    .description('write an inclusion receipt (c2sp.org/tlog-proof@v1) for one entry')
    .argument('<dir>', 'data dir or log dir')
    .argument('<index>', 'entry index')
    .option('--out <file>', 'write the receipt to a file')
    .option('--entry-out <file>', "also write the entry's exact bytes (for verify-proof --entry)")
    .option('--json', 'print JSON')
    .action(async (dir: string, index: string, o: { out?: string; entryOut?: string; json?: boolean }) => {
      await proveCommand({ dir, index, ...o }, io);
    });

  program
    .command('verify-proof')
    .description('check a receipt offline against a verifier key and the entry bytes')
    .argument('<receipt>', 'receipt file')
    .requiredOption('--vkey <file|key>', 'verifier key (repeatable)', collect)
    .requiredOption('--entry <file>', 'file with the exact entry bytes')
    .option('--json', 'print JSON')
    .action(async (receipt: string, o: { vkey: string[]; entry: string; json?: boolean }) => {
      await verifyProofCommand({ receipt, ...o }, io);
    });

  program
    .command('checkpoint')
    .description('print the latest signed checkpoint')
    .argument('<dir>', 'data dir or log dir')
    .option('--vkey <file|key>', 'check the signature with this key (repeatable)', collect)
    .option('--json', 'print JSON')
    .action(async (dir: string, o: { vkey?: string[]; json?: boolean }) => {
      await checkpointCommand({ dir, ...o }, io);
    });

  program
    .command('log')
    .description('reconstruct what happened: the audit records as a timeline, grouped by trace')
    .argument('<dir>', 'data dir or log dir')
    .option('--agent <id>', 'only this agent (id, name or authenticated id)')
    .option('--principal <id>', 'only actions on behalf of this principal')
    .option('--trace <id>', 'only this trace (id or prefix)')
    .option('--tool <name>', 'only calls of this tool')
    .option('--since <time>', 'RFC 3339 time or relative (15m, 2h, 7d)')
    .option('--until <time>', 'RFC 3339 time or relative')
    .option('--flag <flag>', 'only records with this flag (e.g. identity_mismatch)')
    .addOption(new Option('--outcome <status>', 'only this outcome').choices(['ok', 'error', 'unset']))
    .option('--from <index>', 'first index to read', int('--from'))
    .option('--to <index>', 'stop before this index', int('--to'))
    .option('--json', 'JSON Lines: one {index, record} per line')
    .action(async (dir: string, o: Record<string, unknown>) => {
      await logCommand({ dir, ...(o as object) }, io);
    });

  program
    .command('serve')
    .description('run the OTLP/HTTP and OTLP/gRPC audit collector (embedded file ledger; no database, no config needed)')
    .option('--config <file>', 'YAML or JSON config file')
    .option('--data <dir>', 'data directory (default ./agentrail-data)')
    .option('--port <port>', 'port (default 4318)')
    .option('--grpc-port <port>', 'OTLP/gRPC port (default 4317)')
    .option('--no-grpc', 'no OTLP/gRPC listener')
    .option('--host <host>', 'bind address (default 127.0.0.1)')
    .option('--forward <url>', 'forward traces to this OTLP/HTTP endpoint (e.g. Jaeger)')
    .option('--key <file>', 'signer key file (default: created in the data dir on first run)')
    .option('--insecure', 'allow binding a non-loopback address without credentials')
    .option('--json', 'print the startup summary as JSON (logs go to stderr; format set by log.format)')
    .action(async (o: Record<string, unknown>) => {
      await serveCommand(o as Parameters<typeof serveCommand>[0], io);
    });

  return program;
}
