/**
 * Byte-pair encoding of one pre-token, as CLIP's `SimpleTokenizer.bpe` does it: the last symbol carries the
 * end-of-word marker `</w>`, and the adjacent pair with the lowest merge rank is merged everywhere (left to right,
 * non-overlapping) until no ranked pair is left.
 */
export const END_OF_WORD = "</w>";

/** Merge ranks keyed by "left right" (symbols never contain a space: the byte alphabet spells space as U+0120). */
export type MergeRanks = ReadonlyMap<string, number>;

/** Parses merges.txt: an optional "#version" line, then one "left right" pair per line in rank order. */
export function parseMerges(text: string, limit?: number): Map<string, number> {
  const ranks = new Map<string, number>();
  const lines = text.split("\n");
  for (const raw of lines) {
    const line = raw.replace(/\r$/, "");
    if (line.length === 0 || (ranks.size === 0 && line.startsWith("#version"))) continue;
    if (limit !== undefined && ranks.size >= limit) break;
    const parts = line.split(" ");
    if (parts.length !== 2)
      throw new Error(`merges.txt line ${lines.indexOf(raw) + 1}: expected "left right", got ${JSON.stringify(line)}`);
    if (!ranks.has(line)) ranks.set(line, ranks.size);
  }
  return ranks;
}

export class BytePairEncoder {
  private readonly cache = new Map<string, string[]>();

  /** `cacheLimit` bounds memory on long streams of distinct words; the reference cache is unbounded. */
  constructor(
    private readonly ranks: MergeRanks,
    private readonly cacheLimit = 50_000,
  ) {}

  /** Splits one byte-alphabet word into vocabulary symbols. */
  encodeWord(word: string): string[] {
    const cached = this.cache.get(word);
    if (cached) return cached;
    const symbols = this.merge(word);
    if (this.cache.size >= this.cacheLimit) this.cache.clear();
    this.cache.set(word, symbols);
    return symbols;
  }

  private merge(word: string): string[] {
    let symbols = Array.from(word);
    symbols[symbols.length - 1] += END_OF_WORD;
    while (symbols.length > 1) {
      let best = Infinity;
      let left = "";
      let right = "";
      for (let i = 0; i + 1 < symbols.length; i++) {
        const rank = this.ranks.get(symbols[i] + " " + symbols[i + 1]);
        if (rank !== undefined && rank < best) {
          best = rank;
          left = symbols[i];
          right = symbols[i + 1];
        }
      }
      if (best === Infinity) break;
      const merged: string[] = [];
      for (let i = 0; i < symbols.length; ) {
        if (i + 1 < symbols.length && symbols[i] === left && symbols[i + 1] === right) {
          merged.push(left + right);
          i += 2;
        } else {
          merged.push(symbols[i]);
          i += 1;
        }
      }
      symbols = merged;
    }
    return symbols;
  }
}
