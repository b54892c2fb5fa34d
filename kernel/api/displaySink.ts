import type { MimeBundle } from "../protocol/outputs";

/** Receives displays from the public API; the kernel process installs one that forwards them to the host. */
export type DisplaySink = (
  data: MimeBundle,
  metadata: Record<string, unknown>,
  displayId: string | undefined,
  update: boolean,
) => void;

let sink: DisplaySink | undefined;

export function setDisplaySink(next: DisplaySink | undefined): void {
  sink = next;
}

export function emitDisplay(
  data: MimeBundle,
  metadata: Record<string, unknown> = {},
  displayId?: string,
  update = false,
): void {
  if (!sink) {
    // Outside a kernel (a plain Node script using the API) the text form is the best we can do.
    const text = data["text/plain"];
    process.stdout.write(`${typeof text === "string" ? text : JSON.stringify(data)}\n`);
    return;
  }
  sink(data, metadata, displayId, update);
}
