/**
 * JPEG decoding with jpeg-js (baseline and progressive, grey/YCbCr/CMYK). Its IDCT and chroma upsampling are not
 * libjpeg's, so pixels may differ from PIL by a few levels; PNG is the bit-exact path.
 */
import * as jpeg from "jpeg-js";

export function isJpeg(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

/** Decodes to RGBA 8-bit (grey images are replicated into R, G, B). */
export function decodeJpeg(bytes: Uint8Array): { width: number; height: number; rgba: Uint8Array } {
  // maxMemoryUsageInMB guards against a corrupt header that claims a huge image; 1 GiB fits 16k x 16k RGBA.
  const out = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 1024 });
  return { width: out.width, height: out.height, rgba: out.data };
}
