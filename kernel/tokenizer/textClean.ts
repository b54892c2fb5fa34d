/**
 * Text clean-up that OpenAI's / open_clip's `SimpleTokenizer` applies before splitting:
 * `ftfy.fix_text`, `html.unescape` twice, strip, collapse whitespace runs to one space, lower-case.
 *
 * ftfy is reproduced only for its deterministic fixes ("ftfy-lite"): terminal escapes, C1 controls read as
 * Windows-1252, Latin ligatures, full/half-width forms, curly quotes, surrogates, unwanted control characters and
 * NFC. Its heuristic mojibake repair (guessing a wrong decode) is not reproduced; prompts are plain text.
 */
import { decode as decodeEntities } from "html-entities";

// ANSI terminal escapes such as "\x1b[31m" (ftfy remove_terminal_escapes).
const terminalEscape = /\x1b\[((?:\d|;)*)([a-zA-Z])/g;

// Windows-1252 meanings of the C1 range U+0080..U+009F (ftfy fix_c1_controls, using its "sloppy" 1252, which
// keeps the five bytes 1252 leaves undefined as the C1 code point itself).
const cp1252C1 =
  "\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f" +
  "\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178";
const c1Control = /[\u0080-\u009f]/g;

// Latin single-character ligatures (ftfy fix_latin_ligatures); other scripts' ligatures are left alone.
const ligatures: Record<string, string> = {
  "\u0132": "IJ",
  "\u0133": "ij",
  "\ufb00": "ff",
  "\ufb01": "fi",
  "\ufb02": "fl",
  "\ufb03": "ffi",
  "\ufb04": "ffl",
  "\ufb05": "\u017ft",
  "\ufb06": "st",
};
const ligature = /[\u0132\u0133\ufb00-\ufb06]/g;

// Full-width and half-width forms to their ordinary forms (ftfy fix_character_width: NFKC of U+FF01..U+FFEF,
// plus the ideographic space).
const wideForm = /[\u3000\uff01-\uffef]/g;
const narrowOf = (ch: string) => (ch === "\u3000" ? " " : ch.normalize("NFKC"));

// Curly single and double quotes to ASCII (ftfy uncurl_quotes): this is what makes "it’s" split as "it" + "'s".
const curlySingle = /[\u2018-\u201b]/g;
const curlyDouble = /[\u201c-\u201f]/g;

// A lone surrogate half cannot be encoded as UTF-8; ftfy replaces it with U+FFFD.
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

// Control characters ftfy removes (remove_control_chars): C0 except tab/LF/FF/CR, DEL, deprecated Arabic format
// characters, interlinear annotations, BOM, musical-notation format characters and tag characters.
const unwantedControl =
  /[\u0000-\u0008\u000b\u000e-\u001f\u007f\u206a-\u206f\ufeff\ufff9-\ufffc\u{1d173}-\u{1d17a}\u{e0000}-\u{e007f}]/gu;

// ftfy's own entity step: only terminated references of at most 8 word characters, and only on lines without
// a '<' (a line that may be HTML is left alone). It adds one unescape level on top of the two below.
const ftfyEntity = /&#?\w{0,8};/g;
function ftfyUnescape(line: string): string {
  return line.includes("<")
    ? line
    : line.replace(ftfyEntity, (m) => decodeEntities(m, { level: "html5", scope: "strict" }));
}

/** The deterministic part of `ftfy.fix_text` (see the module comment). */
export function ftfyLite(text: string): string {
  // ftfy works line by line.
  return text
    .split(/(?<=\n)/)
    .map(ftfyUnescape)
    .join("")
    .replace(terminalEscape, "")
    .replace(c1Control, (ch) => cp1252C1[ch.charCodeAt(0) - 0x80])
    .replace(ligature, (ch) => ligatures[ch])
    .replace(wideForm, narrowOf)
    .replace(curlySingle, "'")
    .replace(curlyDouble, '"')
    .replace(loneSurrogate, "\ufffd")
    .replace(unwantedControl, "")
    .normalize("NFC");
}

/** Python's `html.unescape` (HTML5 named and numeric references, with or without the semicolon where HTML5 allows). */
export function htmlUnescape(text: string): string {
  return decodeEntities(text, { level: "html5", scope: "body" });
}

// Python's `str.strip()` removes characters for which `isspace()` holds: the Unicode White_Space set plus the
// information separators U+001C..U+001F.
const leadingSpace = /^[\p{White_Space}\u001c-\u001f]+/u;
const trailingSpace = /[\p{White_Space}\u001c-\u001f]+$/u;
export function pythonStrip(text: string): string {
  return text.replace(leadingSpace, "").replace(trailingSpace, "");
}

// The reference uses the `regex` module, whose `\s` is the Unicode White_Space property.
const whitespaceRun = /\p{White_Space}+/gu;

/** `whitespace_clean(basic_clean(text)).lower()` of the reference tokenizer. */
export function cleanText(text: string): string {
  const basic = pythonStrip(htmlUnescape(htmlUnescape(ftfyLite(text))));
  return pythonStrip(basic.replace(whitespaceRun, " ")).toLowerCase();
}
