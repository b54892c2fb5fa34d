import { createHash } from "crypto";

/**
 * JSON with object keys sorted and undefined members dropped (as JSON.stringify drops them), so two specs that
 * mean the same run give the same text whatever order their keys were written in.
 */
export function canonicalJson(value: unknown): string {
  const plain: unknown = value === undefined ? null : JSON.parse(JSON.stringify(value));
  const walk = (v: unknown): string => {
    if (Array.isArray(v)) return `[${v.map(walk).join(",")}]`;
    if (v && typeof v === "object") {
      const o = v as Record<string, unknown>;
      return `{${Object.keys(o)
        .sort()
        .map((k) => `${JSON.stringify(k)}:${walk(o[k])}`)
        .join(",")}}`;
    }
    return JSON.stringify(v);
  };
  return walk(plain);
}

/** 16 hex digits of SHA-256 over the canonical JSON: short enough for file names, long enough never to collide. */
export function specHash(value: unknown): string {
  return createHash("sha256").update(canonicalJson(value)).digest("hex").slice(0, 16);
}
