/**
 * Text layout shared by the renderers and the PNG drawer, so both show the same words: word wrapping for long legend
 * names, ellipsis that keeps the informative end, and the part of case ids (file paths) that tells them apart.
 */

/** Lines of at most maxChars characters, broken at spaces; a word longer than a line is cut into pieces. */
export function wrapWords(text: string, maxChars: number): string[] {
  const max = Math.max(1, Math.floor(maxChars));
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter((w) => w.length > 0)) {
    let rest = word;
    while (rest.length > max) {
      if (line) lines.push(line);
      line = "";
      lines.push(rest.slice(0, max));
      rest = rest.slice(max);
    }
    if (!line) line = rest;
    else if (line.length + 1 + rest.length <= max) line += ` ${rest}`;
    else {
      lines.push(line);
      line = rest;
    }
  }
  if (line || lines.length === 0) lines.push(line);
  return lines;
}

/** wrapWords, limited to maxLines; the last kept line ends in "…" when text was dropped. */
export function wrapLimited(text: string, maxChars: number, maxLines: number): string[] {
  const lines = wrapWords(text, maxChars);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, Math.max(1, maxLines));
  const last = kept[kept.length - 1];
  kept[kept.length - 1] = `${last.slice(0, Math.max(0, Math.floor(maxChars) - 1))}…`;
  return kept;
}

/** At most maxChars characters, cutting the start ("…04_109.png"): the end of a file name is what differs. */
export function keepEnd(text: string, maxChars: number): string {
  const max = Math.max(1, Math.floor(maxChars));
  return text.length <= max ? text : `…${text.slice(text.length - max + 1)}`;
}

/**
 * For each id, its shortest trailing run of path segments ("00004_109.png", else "Ungood/img/00004_109.png") that
 * no other id in the list ends with, so tiles show what tells them apart instead of the folders they share. Ids
 * that are equal (or one is a suffix path of another) keep their full text.
 */
export function distinctSuffixes(ids: readonly string[]): string[] {
  const split = ids.map((id) => id.split(/[\\/]/));
  return split.map((parts, i) => {
    for (let n = 1; n < parts.length; n++) {
      const tail = parts.slice(-n).join("/");
      const clash = split.some((other, j) => j !== i && other.slice(-n).join("/") === tail);
      if (!clash) return tail;
    }
    return ids[i];
  });
}
