// Tiny PNG writer for tests: any colour type and bit depth, optional palette and tRNS, filter 0, no interlace.
// pngjs cannot write palette or low-bit-depth files, which the decoder must handle.
import * as zlib from "zlib";

export interface PngSpec {
  width: number;
  height: number;
  colorType: 0 | 2 | 3 | 4 | 6;
  bitDepth: 1 | 2 | 4 | 8 | 16;
  /** Samples row-major, channels interleaved (palette index for type 3). */
  samples: number[];
  palette?: [number, number, number][];
  trns?: Buffer;
}

const channelsOf = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as const;

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "latin1");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

export function encodePng(spec: PngSpec): Buffer {
  const ch = channelsOf[spec.colorType];
  const bitsPerPixel = ch * spec.bitDepth;
  const rowBytes = Math.ceil((spec.width * bitsPerPixel) / 8);
  const raw = Buffer.alloc((rowBytes + 1) * spec.height);
  for (let y = 0; y < spec.height; y++) {
    const row = raw.subarray(y * (rowBytes + 1) + 1, (y + 1) * (rowBytes + 1));
    for (let i = 0; i < spec.width * ch; i++) {
      const v = spec.samples[y * spec.width * ch + i];
      if (spec.bitDepth === 16) row.writeUInt16BE(v, i * 2);
      else if (spec.bitDepth === 8) row[i] = v;
      else {
        const bit = i * spec.bitDepth;
        row[bit >> 3] |= v << (8 - spec.bitDepth - (bit & 7));
      }
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(spec.width, 0);
  ihdr.writeUInt32BE(spec.height, 4);
  ihdr[8] = spec.bitDepth;
  ihdr[9] = spec.colorType;
  const parts = [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", ihdr)];
  if (spec.palette) parts.push(chunk("PLTE", Buffer.from(spec.palette.flat())));
  if (spec.trns) parts.push(chunk("tRNS", spec.trns));
  parts.push(chunk("IDAT", zlib.deflateSync(raw)), chunk("IEND", Buffer.alloc(0)));
  return Buffer.concat(parts);
}
