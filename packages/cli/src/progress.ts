import type { CommandIo } from './io.js';

/**
 * A one-line progress bar on stderr, drawn only when stderr is a terminal and at most
 * ten times a second, so piping the output stays clean and cheap.
 */
export function progressBar(io: CommandIo, label: string): { update(done: number, total: number): void; done(): void } {
  if (!io.stderrIsTTY) return { update() {}, done() {} };
  let last = 0;
  let drawn = false;
  const started = Date.now();
  return {
    update(done, total) {
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      drawn = true;
      const width = 30;
      const frac = total > 0 ? Math.min(1, done / total) : 0;
      const filled = Math.round(frac * width);
      const secs = (now - started) / 1000;
      const rate = secs > 0 ? Math.round(done / secs) : 0;
      io.stderr.write(
        `\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} (${rate.toLocaleString('en-US')}/s)`,
      );
    },
    done() {
      if (drawn) io.stderr.write('\n');
    },
  };
}
