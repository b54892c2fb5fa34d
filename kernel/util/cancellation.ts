// The one "the user stopped it" error. Long loops (training, feature extraction, scoring, corpus builds) check the
// job's AbortSignal between steps with checkAbort and throw AbortError; the background worker reports such a job
// as cancelled rather than failed, and the kernel-side JobRunner rejects a stopped job with the same class. It is
// named like the DOM's AbortError so that code checking `err.name === "AbortError"` (fetch, timers) agrees.
// It lives in util/ so that every layer, in-process libraries included, stops the same way.

/** The work was stopped by the user (or its caller's AbortSignal); whatever it saved before is kept. */
export class AbortError extends Error {
  constructor(message = "the run was stopped") {
    super(message);
    this.name = "AbortError";
  }
}

/**
 * Throws AbortError if the signal has fired; call it between steps. The message is the signal's reason when that is
 * text, else `message` (what was stopped and what is kept), else the generic one.
 */
export function checkAbort(signal?: AbortSignal, message?: string): void {
  if (signal?.aborted) throw new AbortError(typeof signal.reason === "string" ? signal.reason : message);
}
