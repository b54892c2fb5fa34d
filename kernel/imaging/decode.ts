/**
 * Image files to rasters, as PIL's `Image.open(f).convert("RGB")` / `.convert("L")` would give them.
 * Alpha is dropped, not composited (PIL's convert does the same). Errors name the file.
 */
import * as fs from "fs";
import { decodeJpeg, isJpeg } from "./jpegDecode";
import { decodePng, isPng } from "./pngDecode";
import { Raster } from "./raster";

type Rgba = { width: number; height: number; rgba: Uint8Array | Uint16Array; bitDepth: number; colorType?: number };

function decodeRgba(bytes: Uint8Array, source: string): Rgba {
  try {
    if (isPng(bytes)) return decodePng(bytes);
    if (isJpeg(bytes)) return { ...decodeJpeg(bytes), bitDepth: 8 };
  } catch (err) {
    throw new Error(
      `${source}: cannot decode image (${(err as Error).message}); the file is damaged or truncated, re-export it as PNG`,
    );
  }
  throw new Error(`${source}: not a PNG or JPEG file (unrecognised signature); convert it to PNG`);
}

/** Decodes PNG/JPEG bytes to an RGB raster; `source` (a path) appears in errors. */
export function decodeRgb(bytes: Uint8Array, source = "image"): Raster {
  return rgbOf(decodeRgba(bytes, source));
}

function rgbOf(img: Rgba): Raster {
  const n = img.width * img.height;
  if (img.bitDepth === 16) {
    const data = new Float32Array(n * 3);
    for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) data[i * 3 + c] = img.rgba[i * 4 + c] / 65535;
    return { width: img.width, height: img.height, channels: 3, data };
  }
  const data = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) data[i * 3 + c] = img.rgba[i * 4 + c];
  return { width: img.width, height: img.height, channels: 3, data };
}

/**
 * Decodes to one grey channel as PIL's convert("L"): grey sources as they are, colour sources with ITU-R 601
 * luma in PIL's fixed point, L = (19595 R + 38470 G + 7471 B + 0x8000) >> 16.
 */
export function decodeGray(bytes: Uint8Array, source = "image"): Raster {
  return grayOf(decodeRgba(bytes, source));
}

function grayOf(img: Rgba): Raster {
  const n = img.width * img.height;
  const isGrey = img.colorType === 0 || img.colorType === 4;
  const luma = (i: number) =>
    isGrey
      ? img.rgba[i * 4]
      : (19595 * img.rgba[i * 4] + 38470 * img.rgba[i * 4 + 1] + 7471 * img.rgba[i * 4 + 2] + 0x8000) / 65536;
  if (img.bitDepth === 16) {
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = luma(i) / 65535;
    return { width: img.width, height: img.height, channels: 1, data };
  }
  const data = new Uint8Array(n);
  for (let i = 0; i < n; i++) data[i] = Math.floor(luma(i));
  return { width: img.width, height: img.height, channels: 1, data };
}

/**
 * Decodes in the file's own mode, as PIL's `Image.open` holds it before any convert: grey PNGs (colour types 0, 4)
 * as one channel, everything else (colour PNGs, JPEGs — a grey JPEG decodes to equal channels, whose luma is the
 * grey value) as RGB. `palette`: a palette PNG, which PIL keeps as mode "P" (and resizes nearest). Alpha is dropped
 * (PIL would resize LA/RGBA premultiplied: equal for opaque images).
 */
export function decodeSource(bytes: Uint8Array, source = "image"): { raster: Raster; palette: boolean } {
  const img = decodeRgba(bytes, source);
  const grey = img.colorType === 0 || img.colorType === 4;
  return { raster: grey ? grayOf(img) : rgbOf(img), palette: img.colorType === 3 };
}

function readImageFile(file: string): Uint8Array {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    throw new Error(
      `${file}: cannot read image (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); check the path`,
    );
  }
}

export function readRgb(file: string): Raster {
  return decodeRgb(readImageFile(file), file);
}

export function readGray(file: string): Raster {
  return decodeGray(readImageFile(file), file);
}
