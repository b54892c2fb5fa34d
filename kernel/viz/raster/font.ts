/**
 * A 5×7 bitmap font for printable ASCII plus the few other characters our own labels use, drawn row by row: each
 * glyph is 7 rows of 5 bits (bit 4 = leftmost pixel).
 * Enough for titles, ticks and legends in PNG fallbacks without shipping a font file or a text shaper.
 */
export const GLYPH_WIDTH = 5;
export const GLYPH_HEIGHT = 7;
/** Advance per character and line height, in font pixels (one column / row of spacing). */
export const ADVANCE = 6;
export const LINE_HEIGHT = 9;

// Characters 32 (space) … 126 (~), 7 hex row values each.
const ROWS = `
00 00 00 00 00 00 00|04 04 04 04 04 00 04|0A 0A 00 00 00 00 00|0A 0A 1F 0A 1F 0A 0A|04 0F 14 0E 05 1E 04
18 19 02 04 08 13 03|0C 12 14 08 15 12 0D|04 04 00 00 00 00 00|02 04 08 08 08 04 02|08 04 02 02 02 04 08
00 04 15 0E 15 04 00|00 04 04 1F 04 04 00|00 00 00 00 0C 04 08|00 00 00 1F 00 00 00|00 00 00 00 00 0C 0C
00 01 02 04 08 10 00|0E 11 13 15 19 11 0E|04 0C 04 04 04 04 0E|0E 11 01 02 04 08 1F|1F 02 04 02 01 11 0E
02 06 0A 12 1F 02 02|1F 10 1E 01 01 11 0E|06 08 10 1E 11 11 0E|1F 01 02 04 08 08 08|0E 11 11 0E 11 11 0E
0E 11 11 0F 01 02 0C|00 0C 0C 00 0C 0C 00|00 0C 0C 00 0C 04 08|02 04 08 10 08 04 02|00 00 1F 00 1F 00 00
08 04 02 01 02 04 08|0E 11 01 02 04 00 04|0E 11 01 0D 15 15 0E|0E 11 11 11 1F 11 11|1E 11 11 1E 11 11 1E
0E 11 10 10 10 11 0E|1C 12 11 11 11 12 1C|1F 10 10 1E 10 10 1F|1F 10 10 1E 10 10 10|0E 11 10 17 11 11 0F
11 11 11 1F 11 11 11|0E 04 04 04 04 04 0E|07 02 02 02 02 12 0C|11 12 14 18 14 12 11|10 10 10 10 10 10 1F
11 1B 15 15 11 11 11|11 11 19 15 13 11 11|0E 11 11 11 11 11 0E|1E 11 11 1E 10 10 10|0E 11 11 11 15 12 0D
1E 11 11 1E 14 12 11|0F 10 10 0E 01 01 1E|1F 04 04 04 04 04 04|11 11 11 11 11 11 0E|11 11 11 11 11 0A 04
11 11 11 15 15 15 0A|11 11 0A 04 0A 11 11|11 11 11 0A 04 04 04|1F 01 02 04 08 10 1F|0E 08 08 08 08 08 0E
00 10 08 04 02 01 00|0E 02 02 02 02 02 0E|04 0A 11 00 00 00 00|00 00 00 00 00 00 1F|08 04 00 00 00 00 00
00 00 0E 01 0F 11 0F|10 10 16 19 11 11 1E|00 00 0E 10 10 11 0E|01 01 0D 13 11 11 0F|00 00 0E 11 1F 10 0E
06 09 08 1C 08 08 08|00 0F 11 11 0F 01 0E|10 10 16 19 11 11 11|04 00 0C 04 04 04 0E|02 00 06 02 02 12 0C
10 10 12 14 18 14 12|0C 04 04 04 04 04 0E|00 00 1A 15 15 11 11|00 00 16 19 11 11 11|00 00 0E 11 11 11 0E
00 00 1E 11 1E 10 10|00 00 0D 13 0F 01 01|00 00 16 19 10 10 10|00 00 0E 10 0E 01 1E|08 08 1C 08 08 09 06
00 00 11 11 11 13 0D|00 00 11 11 11 0A 04|00 00 11 11 15 15 0A|00 00 11 0A 04 0A 11|00 00 11 11 0F 01 0E
00 00 1F 02 04 08 1F|02 04 04 08 04 04 02|04 04 04 04 04 04 04|08 04 04 02 04 04 08|00 00 08 15 02 00 00`;

const FIRST = 32;
const GLYPHS: number[][] = ROWS.trim()
  .split(/[|\n]/)
  .map((glyph) =>
    glyph
      .trim()
      .split(" ")
      .map((hex) => parseInt(hex, 16)),
  );
// Non-ASCII characters that titles, legends and captions built by MedAD Lab contain (test/unit/viz/glyphs checks
// every string literal of the PNG and payload code against this table and the ASCII range).
const EXTRA: Record<string, number[]> = {
  "·": [0x00, 0x00, 0x00, 0x0e, 0x0e, 0x00, 0x00],
  "–": [0x00, 0x00, 0x00, 0x1f, 0x00, 0x00, 0x00],
  "—": [0x00, 0x00, 0x00, 0x1f, 0x00, 0x00, 0x00],
  "−": [0x00, 0x00, 0x00, 0x1f, 0x00, 0x00, 0x00],
  "±": [0x04, 0x04, 0x1f, 0x04, 0x04, 0x00, 0x1f],
  "×": [0x00, 0x11, 0x0a, 0x04, 0x0a, 0x11, 0x00],
  "…": [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x15],
  "≥": [0x10, 0x08, 0x04, 0x08, 0x10, 0x00, 0x1f],
  "≤": [0x01, 0x02, 0x04, 0x02, 0x01, 0x00, 0x1f],
  "∞": [0x00, 0x00, 0x0a, 0x15, 0x0a, 0x00, 0x00],
  "°": [0x0c, 0x12, 0x12, 0x0c, 0x00, 0x00, 0x00],
};
// A hollow box for characters outside the table, so a missing glyph is visible rather than silently blank.
const MISSING = [0x1f, 0x11, 0x11, 0x11, 0x11, 0x11, 0x1f];

function ownRows(char: string): number[] | undefined {
  const code = char.charCodeAt(0);
  return char.length === 1 && code >= FIRST && code < FIRST + GLYPHS.length ? GLYPHS[code - FIRST] : EXTRA[char];
}

/** Whether the font draws this character itself or through its accent-free form ("é" → "e"). */
export function hasGlyph(char: string): boolean {
  return glyphOf(char) !== undefined;
}

function glyphOf(char: string): number[] | undefined {
  // Accented letters from user data (names, file names) draw as their base letter rather than as a box.
  return ownRows(char) ?? ownRows(char.normalize("NFKD").replace(/[\u0300-\u036f]/g, ""));
}

/** The 7 row bitmasks of a character (a hollow box when the font has none: see hasGlyph). */
export function glyphRows(char: string): number[] {
  return glyphOf(char) ?? MISSING;
}

/** Width in pixels of a single-line text at an integer scale (no trailing spacing column). */
export function textWidth(text: string, scale = 1): number {
  return text.length === 0 ? 0 : (text.length * ADVANCE - 1) * scale;
}

export function textHeight(scale = 1): number {
  return GLYPH_HEIGHT * scale;
}
