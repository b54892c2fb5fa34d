import { randomBytes } from "crypto";
import type { Ipynb } from "./ipynb";

/** nbformat 4.5 cell ids: 1–64 characters of letters, digits, "-" and "_", unique within the notebook. */
const VALID_ID = /^[a-zA-Z0-9-_]{1,64}$/;

/**
 * A copy of `nb` in which every cell has a valid, unique `id` (nbformat ≥ 4.5 requires one; nbconvert warns
 * MissingIDFieldWarning otherwise). Ids already there are kept; a missing, invalid or repeated id gets a new random
 * one (as Jupyter does). A 4.0–4.4 notebook is marked 4.5, the first minor version with ids.
 */
export function withCellIds(nb: Ipynb): Ipynb {
  const seen = new Set<string>();
  const fresh = (): string => {
    for (;;) {
      const id = randomBytes(6).toString("hex");
      if (!seen.has(id)) return id;
    }
  };
  const cells = nb.cells.map((cell) => {
    const id = typeof cell.id === "string" && VALID_ID.test(cell.id) && !seen.has(cell.id) ? cell.id : fresh();
    seen.add(id);
    return { ...cell, id };
  });
  const minor = nb.nbformat === 4 && nb.nbformat_minor < 5 ? 5 : nb.nbformat_minor;
  return { ...nb, nbformat_minor: minor, cells };
}

export const isValidCellId = (id: unknown): boolean => typeof id === "string" && VALID_ID.test(id);
