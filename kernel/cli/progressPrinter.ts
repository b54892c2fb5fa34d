/**
 * Download progress on stderr: "model.safetensors  12.0 MiB / 320.0 MiB  3.8%  5.1 MiB/s  ETA 1m02s".
 * On a terminal one line is redrawn in place; otherwise (logs, CI) a line is printed at most every few seconds.
 */
import type { DownloadProgress } from "../models";
import { formatBytes, formatDuration } from "../models";

export function progressText(p: DownloadProgress): string {
  const size = p.total !== undefined ? `${formatBytes(p.received)} / ${formatBytes(p.total)}` : formatBytes(p.received);
  const pct = p.total ? `  ${((100 * p.received) / p.total).toFixed(1)}%` : "";
  const eta = p.etaSeconds !== undefined ? `  ETA ${formatDuration(p.etaSeconds)}` : "";
  return `${p.file}  ${size}${pct}  ${formatBytes(Math.round(p.bytesPerSecond))}/s${eta}`;
}

export function makeProgressPrinter(write: (text: string) => void, tty: boolean, now: () => number = Date.now) {
  const interval = tty ? 200 : 5000;
  let last = -Infinity; // the first update always prints
  let pending: DownloadProgress | undefined;
  let width = 0;
  let shown: DownloadProgress | undefined;
  const emit = (p: DownloadProgress) => {
    const text = progressText(p);
    if (tty) {
      write(`\r${text.padEnd(width)}`);
      width = text.length;
    } else write(`${text}\n`);
    last = now();
    shown = p;
    pending = undefined;
  };
  return {
    update(p: DownloadProgress) {
      pending = p;
      if (now() - last >= interval) emit(p);
    },
    /** Prints the last state of a file and ends its line. */
    finish() {
      // The final state may already be on screen (small files arrive in one chunk).
      if (pending && (pending.file !== shown?.file || pending.received !== shown.received)) emit(pending);
      if (tty && width > 0) write("\n");
      width = 0;
      last = -Infinity;
      shown = undefined;
    },
  };
}
