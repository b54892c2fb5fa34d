import type { JobProgress } from "../worker/protocol";
import { displayHandle } from "./display";

function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return "?";
  return s >= 90 ? `${Math.floor(s / 60)} min ${Math.round(s % 60)} s` : `${Math.round(s)} s`;
}

/** "features 12/40 · epoch 3/50 · loss 0.1234 · 5.2/s · ETA 6 s" */
export function describeProgress(p: JobProgress): string {
  const parts = [`${p.phase} ${p.done}/${p.total}`];
  if (p.epoch !== undefined) parts.push(`epoch ${p.epoch}${p.epochs ? `/${p.epochs}` : ""}`);
  if (p.loss !== undefined) parts.push(`loss ${p.loss.toPrecision(4)}`);
  if (p.throughput !== undefined) parts.push(`${p.throughput.toFixed(1)}/s`);
  if (p.etaS !== undefined) parts.push(`ETA ${formatSeconds(p.etaS)}`);
  if (p.message) parts.push(p.message);
  return parts.join(" · ");
}

function textBar(fraction: number, width = 30): string {
  const filled = Math.round(Math.max(0, Math.min(1, fraction)) * width);
  return `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
}

/**
 * A live progress bar in the running cell: one output updated in place (HTML `<progress>` where HTML renders,
 * a text bar elsewhere). Updates are throttled so a fast loop does not flood the notebook.
 */
export function progressBar(
  title: string,
  minIntervalMs = 250,
): { update(p: JobProgress): void; finish(text: string, atLastProgress?: boolean): void } {
  const handle = displayHandle();
  let last = 0;
  let reached = 0; // the fraction last shown
  const show = (fraction: number, detail: string) => {
    handle.bundle({
      "text/html": `<div><b>${escapeHtml(title)}</b> <progress max="1" value="${fraction.toFixed(4)}"></progress> ${escapeHtml(detail)}</div>`,
      "text/plain": `${title} ${textBar(fraction)} ${detail}`,
    });
  };
  return {
    update(p) {
      const now = Date.now();
      if (now - last < minIntervalMs && p.done < p.total) return;
      last = now;
      reached = p.total > 0 ? p.done / p.total : 0;
      show(reached, describeProgress(p));
    },
    /** A finished job fills the bar; a stopped or failed one (`atLastProgress`) keeps it where the job got to. */
    finish(text, atLastProgress = false) {
      show(atLastProgress ? reached : 1, text);
    },
  };
}
