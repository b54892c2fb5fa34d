/**
 * Deterministic 8-bit PNG encoding with pngjs: fixed filter (adaptive, pngjs's own choice is deterministic), fixed
 * deflate level and no time chunks, so the same pixels give the same bytes on every run with the same zlib.
 */
import { PNG } from "pngjs";

export type PngColor = "gray" | "rgb" | "rgba";

const colorTypes = { gray: 0, rgb: 2, rgba: 6 } as const;
const channelCount = { gray: 1, rgb: 3, rgba: 4 } as const;

/** `pixels` is row-major, channels interleaved, one byte per sample. */
export function encodePng8(width: number, height: number, pixels: Uint8Array, color: PngColor): Buffer {
  const ch = channelCount[color];
  if (pixels.length !== width * height * ch) {
    throw new Error(
      `encodePng8: ${pixels.length} samples for a ${width}x${height} ${color} image (expected ${width * height * ch})`,
    );
  }
  // pngjs packs from RGBA input, so expand; its colour conversion writes only the channels colorType keeps.
  const png = new PNG({ width, height });
  const rgba = png.data;
  for (let i = 0; i < width * height; i++) {
    const o = i * 4;
    if (ch === 1) {
      rgba[o] = rgba[o + 1] = rgba[o + 2] = pixels[i];
      rgba[o + 3] = 255;
    } else {
      rgba[o] = pixels[i * ch];
      rgba[o + 1] = pixels[i * ch + 1];
      rgba[o + 2] = pixels[i * ch + 2];
      rgba[o + 3] = ch === 4 ? pixels[i * ch + 3] : 255;
    }
  }
  return PNG.sync.write(png, {
    colorType: colorTypes[color],
    inputColorType: 6,
    bitDepth: 8,
    inputHasAlpha: true,
    deflateLevel: 9,
    deflateStrategy: 3,
  });
}
