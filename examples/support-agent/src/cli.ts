// Runs the `agentrail` command the way a user would, from the workspace's installed package.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

/** Path of the `agentrail` bin script (needs `npm run build` for its compiled code). */
export function agentrailBin(): string {
  const pkg = createRequire(import.meta.url).resolve('agentrail/package.json');
  const root = dirname(pkg);
  if (!existsSync(join(root, 'dist', 'main.js'))) {
    throw new Error(`the agentrail CLI is not built (${join(root, 'dist')} is missing): run \`npm run build\` first`);
  }
  return join(root, 'bin', 'agentrail.js');
}

export function runAgentrail(args: readonly string[]): CliRun {
  const r = spawnSync(process.execPath, [agentrailBin(), ...args], { encoding: 'utf8' });
  if (r.error) throw r.error;
  return { status: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}
