import { parseWindow, type Window } from "../../data";
import { MagicError } from "../errors";

/** The value of a magic's `--window CENTER,WIDTH`; a malformed one is a MagicError at its column. */
export function windowArg(value: { text: string; column: number }, at: { line: number }): Window {
  try {
    return parseWindow(value.text);
  } catch (err) {
    throw new MagicError((err as Error).message, at.line, value.column, "CENTER,WIDTH with WIDTH > 0, e.g. 40,400");
  }
}
