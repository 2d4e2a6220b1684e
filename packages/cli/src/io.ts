import type { Writable } from 'node:stream';

/** Where a command writes. Injected so commands run in-process in tests. */
export interface CommandIo {
  stdout: Writable;
  stderr: Writable;
  /** Whether stderr is a terminal (progress bars only then). */
  stderrIsTTY: boolean;
  cwd: string;
}

export function processIo(): CommandIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stderrIsTTY: Boolean(process.stderr.isTTY),
    cwd: process.cwd(),
  };
}

export function writeLine(stream: Writable, line = ''): void {
  stream.write(line + '\n');
}

export function writeJson(stream: Writable, value: unknown): void {
  stream.write(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2) + '\n');
}
