/**
 * CLIP's byte-level alphabet: every UTF-8 byte maps to one printable Unicode character, so BPE can work on
 * strings without whitespace or control characters (the vocabulary is written in this alphabet). Printable
 * Latin-1 bytes map to themselves; the other 68 bytes are moved, in byte order, to U+0100 upwards.
 */
function buildByteToChar(): string[] {
  const keepsItself = (b: number) => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  const table: string[] = new Array(256);
  let moved = 0;
  for (let b = 0; b < 256; b++) {
    table[b] = String.fromCodePoint(keepsItself(b) ? b : 256 + moved++);
  }
  return table;
}

export const byteToChar: readonly string[] = buildByteToChar();

const utf8 = new TextEncoder();

/** Encodes a pre-token as UTF-8 and spells each byte with the byte-level alphabet. */
export function toByteAlphabet(token: string): string {
  let out = "";
  for (const byte of utf8.encode(token)) out += byteToChar[byte];
  return out;
}

/** Inverse of `toByteAlphabet` for decoding ids back to text (invalid UTF-8 becomes U+FFFD, as in the reference). */
export function fromByteAlphabet(chars: string): string {
  const reverse = charToByte();
  const bytes: number[] = [];
  for (const ch of chars) {
    const b = reverse.get(ch);
    if (b !== undefined) bytes.push(b);
  }
  return new TextDecoder("utf-8", { fatal: false }).decode(new Uint8Array(bytes));
}

let reverseTable: Map<string, number> | undefined;
function charToByte(): Map<string, number> {
  if (!reverseTable) reverseTable = new Map(byteToChar.map((ch, b) => [ch, b]));
  return reverseTable;
}
