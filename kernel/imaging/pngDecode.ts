/**
 * PNG decoding with pngjs, adjusted to what PIL's `open(...).convert("RGB")` sees: the tRNS chunk of a
 * non-palette image is ignored (pngjs would paint matching pixels black, PIL keeps their colour), and 16-bit
 * samples are kept at full precision instead of being rounded to 8 bits.
 */
import { PNG } from "pngjs";

const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && Buffer.from(bytes.buffer, bytes.byteOffset, 8).equals(signature);
}

export interface DecodedPng {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  /** RGBA, 8-bit samples in a Buffer or 16-bit samples in a Uint16Array. */
  rgba: Uint8Array | Uint16Array;
}

/** Chunks in order, with their byte ranges (length field through CRC). */
function chunks(png: Buffer): { type: string; start: number; end: number; dataStart: number }[] {
  const list = [];
  let pos = 8;
  while (pos + 12 <= png.length) {
    const length = png.readUInt32BE(pos);
    const type = png.toString("latin1", pos + 4, pos + 8);
    const end = pos + 12 + length;
    list.push({ type, start: pos, end: Math.min(end, png.length), dataStart: pos + 8 });
    if (type === "IEND") break;
    pos = end;
  }
  return list;
}

export function decodePng(bytes: Uint8Array): DecodedPng {
  let png = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const list = chunks(png);
  const ihdr = list[0];
  if (!ihdr || ihdr.type !== "IHDR") throw new Error("PNG has no IHDR chunk");
  const bitDepth = png[ihdr.dataStart + 8];
  const colorType = png[ihdr.dataStart + 9];
  const trns = list.find((c) => c.type === "tRNS");
  if (trns && colorType !== 3) png = Buffer.concat([png.subarray(0, trns.start), png.subarray(trns.end)]);
  const decoded = PNG.sync.read(png, { skipRescale: bitDepth === 16 });
  return {
    width: decoded.width,
    height: decoded.height,
    bitDepth,
    colorType,
    rgba: decoded.data as Uint8Array | Uint16Array,
  };
}
