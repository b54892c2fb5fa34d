/**
 * Expected SHA-256 digests: from a file the user passes (sha256sum lines or a JSON object file -> hex), or from
 * the Hub's `X-Linked-Etag` / `ETag` header, which for LFS files is the content's SHA-256 (for small git files it
 * is a git blob SHA-1, which cannot be checked against the content hash and is ignored).
 */
import * as fs from "fs";

const sha256Hex = /^[0-9a-f]{64}$/;

/** The SHA-256 carried by an ETag value, if it is one: quotes and a weak `W/` prefix removed, lower-cased. */
export function sha256FromEtag(etag: string | string[] | undefined): string | undefined {
  if (etag === undefined) return undefined;
  const value = (Array.isArray(etag) ? etag[0] : etag).trim().replace(/^W\//, "").replace(/^"|"$/g, "").toLowerCase();
  return sha256Hex.test(value) ? value : undefined;
}

/** Reads a checksum manifest: `<hex>  <file>` lines (sha256sum output) or `{"file": "hex"}` JSON. */
export function readChecksumManifest(file: string): Map<string, string> {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new Error(
      `cannot read checksum file ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
  const sums = new Map<string, string>();
  const add = (name: string, hex: string, where: string) => {
    const h = hex.trim().toLowerCase();
    if (!sha256Hex.test(h)) throw new Error(`${file}${where}: '${hex}' is not a 64-digit hex SHA-256`);
    sums.set(name.replace(/^\*/, "").replace(/^.*\//, ""), h);
  };
  if (text.trimStart().startsWith("{")) {
    let obj: unknown;
    try {
      obj = JSON.parse(text);
    } catch (err) {
      throw new Error(
        `${file}: invalid JSON (${(err as Error).message}); expected {"model.safetensors": "<sha256>", ...}`,
      );
    }
    for (const [name, hex] of Object.entries(obj as Record<string, unknown>)) add(name, String(hex), ` entry ${name}`);
    return sums;
  }
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim() || line.startsWith("#")) return;
    const m = /^([0-9a-fA-F]+)\s+(\S.*)$/.exec(line.trim());
    if (!m) throw new Error(`${file}:${i + 1}: expected '<sha256>  <file name>'`);
    add(m[2], m[1], `:${i + 1}`);
  });
  return sums;
}
