/** Live progress: one rewritten status line on a TTY, plain periodic lines otherwise. */
import type { Progress } from "../events/index.js";
import { fmtDuration, fmtNumber, type Io } from "./output.js";

export function progressView(io: Io, opts: { quiet: boolean; plainEveryMs?: number }): { update(p: Progress): void; done(): void } {
  const tty = io.err.isTTY === true;
  let lastPlain = 0;
  let drawn = false;
  const line = (p: Progress) =>
    `pages ${fmtNumber(p.done)} done, ${fmtNumber(p.queued + p.leased)} queued | items ${fmtNumber(p.items)} | errors ${fmtNumber(p.errors)} | ` +
    `${p.rate.toFixed(1)} pages/s | ETA ${p.etaSeconds === null ? "?" : fmtDuration(p.etaSeconds)} | ${fmtDuration(p.elapsedSeconds)}`;
  return {
    update(p) {
      if (opts.quiet) return;
      if (tty) {
        const text = line(p);
        const width = io.err.columns ?? 120;
        io.err.write(`\r\x1b[K${text.length > width - 1 ? text.slice(0, width - 1) : text}`);
        drawn = true;
      } else if (Date.now() - lastPlain >= (opts.plainEveryMs ?? 5000)) {
        lastPlain = Date.now();
        io.err.write(line(p) + "\n");
      }
    },
    done() {
      if (drawn) io.err.write("\r\x1b[K");
    },
  };
}
