/**
 * The output model shared by the kernel, the extension and the CLI: what a cell produced, in Jupyter's terms.
 * Values in a MIME bundle follow Jupyter's conventions: text types are strings, binary images are base64 strings,
 * JSON types (`application/json`, `*+json`) are plain objects.
 */
export type MimeBundle = Record<string, unknown>;

export interface StreamOutput {
  kind: "stream";
  name: "stdout" | "stderr";
  text: string;
}

export interface DisplayOutput {
  kind: "display";
  data: MimeBundle;
  metadata: Record<string, unknown>;
  /** Set when the display can be updated in place (tslab `newDisplay()`, progress bars). */
  displayId?: string;
}

export interface ErrorOutput {
  kind: "error";
  ename: string;
  evalue: string;
  traceback: string[];
}

export type CellOutput = StreamOutput | DisplayOutput | ErrorOutput;

/** True for MIME types whose payload is JSON (stored as an object, not a string). */
export function isJsonMime(mime: string): boolean {
  return mime === "application/json" || mime.endsWith("+json");
}

/** True for MIME types whose payload travels as base64 text. */
export function isBinaryMime(mime: string): boolean {
  return (mime.startsWith("image/") && mime !== "image/svg+xml") || mime === "application/pdf";
}

/**
 * Adds one output to a list the way notebooks show them: consecutive chunks of the same stream merge into one
 * output, a display with a known displayId replaces the earlier one (in place) instead of adding a new output.
 */
export function appendOutput(outputs: CellOutput[], next: CellOutput, update = false): CellOutput[] {
  const last = outputs[outputs.length - 1];
  if (next.kind === "stream" && last?.kind === "stream" && last.name === next.name) {
    return [...outputs.slice(0, -1), { ...last, text: last.text + next.text }];
  }
  if (next.kind === "display" && next.displayId !== undefined) {
    const at = outputs.findIndex((o) => o.kind === "display" && o.displayId === next.displayId);
    if (at >= 0) return outputs.map((o, i) => (i === at ? next : o));
    if (update) return outputs; // an update for a display this cell never showed has nothing to replace
  }
  return [...outputs, next];
}
