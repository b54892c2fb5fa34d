/**
 * A mistake in a magic: where it is (1-based line and column in the cell), what was expected and, when the mistake
 * looks like a typo, the nearest valid word. Shown in the cell as a `MagicError` output.
 */
export class MagicError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
    readonly expected?: string,
    readonly suggestion?: string,
  ) {
    super(message);
    this.name = "MagicError";
  }

  /** "line 3, column 1: unknown key 'shot'. Did you mean 'shots'? Expected one of: …" */
  describe(): string {
    let text = `line ${this.line}, column ${this.column}: ${this.message}`;
    if (this.suggestion) text += ` Did you mean '${this.suggestion}'?`;
    if (this.expected) text += ` Expected ${this.expected}.`;
    return text;
  }
}
