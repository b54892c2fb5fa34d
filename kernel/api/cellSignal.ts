/**
 * The abort signal of the cell that is running, set by the kernel for each execution. Long API calls (background
 * jobs) listen to it so the notebook's stop button also stops work running outside the kernel process.
 */
let current: AbortSignal = new AbortController().signal;

export function setCellSignal(signal: AbortSignal): void {
  current = signal;
}

export function cellSignal(): AbortSignal {
  return current;
}
