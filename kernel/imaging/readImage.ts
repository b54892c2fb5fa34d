/**
 * One entry point for every supported 2-D file: PNG/JPEG through `decode.ts`, DICOM through `dicom.ts`. The header
 * is probed first, so an oversized image is refused before its pixels are allocated.
 */
import * as fs from "fs";
import { decodeGray, decodeRgb, decodeSource } from "./decode";
import { decodeDicom } from "./dicom";
import { MAX_PIXELS, probeImage } from "./header";
import { Raster } from "./raster";
import type { AppliedWindow, Window } from "./window";

export interface ReadImageOptions {
  /** "rgb" as PIL convert("RGB"), "gray" as convert("L"). */
  mode?: "rgb" | "gray";
  /** DICOM only: overrides the file's VOI window (window.ts says which one is used otherwise). */
  window?: Window;
  maxPixels?: number;
}

function greyToRgb(r: Raster): Raster {
  const n = r.width * r.height;
  const data = r.data instanceof Uint8Array ? new Uint8Array(n * 3) : new Float32Array(n * 3);
  for (let i = 0; i < n; i++) data[i * 3] = data[i * 3 + 1] = data[i * 3 + 2] = r.data[i];
  return { width: r.width, height: r.height, channels: 3, data };
}

/** PIL's convert("L") of an RGB raster: fixed-point ITU-R 601 luma on 8-bit data (as decodeGray), exact on floats. */
export function rgbToGrey(r: Raster): Raster {
  const n = r.width * r.height;
  const luma = (i: number) => 19595 * r.data[i * 3] + 38470 * r.data[i * 3 + 1] + 7471 * r.data[i * 3 + 2];
  if (!(r.data instanceof Uint8Array)) {
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = luma(i) / 65536;
    return { width: r.width, height: r.height, channels: 1, data };
  }
  const data = new Uint8Array(n);
  for (let i = 0; i < n; i++) data[i] = Math.floor((luma(i) + 0x8000) / 65536);
  return { width: r.width, height: r.height, channels: 1, data };
}

export function readImage(file: string, opts: ReadImageOptions = {}): Raster {
  return readImageWindowed(file, opts).raster;
}

/** As readImage, with the window that mapped a greyscale DICOM to 8 bits (null for PNG, JPEG and colour DICOM). */
export function readImageWindowed(
  file: string,
  opts: ReadImageOptions = {},
): { raster: Raster; window: AppliedWindow | null } {
  const header = probeImage(file, opts.maxPixels ?? MAX_PIXELS);
  const bytes = fs.readFileSync(file);
  const mode = opts.mode ?? "rgb";
  if (header.format === "dicom") {
    const r = decodeDicom(bytes, file, { window: opts.window });
    const raster: Raster = { width: r.width, height: r.height, channels: r.channels, data: r.data };
    if (mode === "rgb") return { raster: raster.channels === 3 ? raster : greyToRgb(raster), window: r.window };
    return { raster: raster.channels === 1 ? raster : rgbToGrey(raster), window: r.window };
  }
  return { raster: mode === "rgb" ? decodeRgb(bytes, file) : decodeGray(bytes, file), window: null };
}

/** The file in its own mode (grey or RGB; `palette` for palette PNGs), as PIL's Image.open before any convert. */
export function readSourceImage(file: string, maxPixels = MAX_PIXELS): { raster: Raster; palette: boolean } {
  const header = probeImage(file, maxPixels);
  const bytes = fs.readFileSync(file);
  if (header.format === "dicom") {
    const r = decodeDicom(bytes, file);
    return { raster: { width: r.width, height: r.height, channels: r.channels, data: r.data }, palette: false };
  }
  return decodeSource(bytes, file);
}

/**
 * A mask as 0/1 bytes: a pixel is foreground when its grey value (in the file's own scale, 0..255 or 0..65535) is
 * > threshold · fullScale / 255. Threshold 0 suits PNG masks (0/255, 0/1 and multi-label alike, also 16-bit 0/1);
 * JPEG masks need ~127 because compression rings around edges. `maxValue` and `values` are in the file's scale.
 */
export function readMask(
  file: string,
  threshold = 0,
  maxPixels = MAX_PIXELS,
): { width: number; height: number; data: Uint8Array; maxValue: number; values: Set<number>; fullScale: 255 | 65535 } {
  const g = readImage(file, { mode: "gray", maxPixels });
  // 16-bit files arrive as 0..1 floats; back to integers so a 0/1 uint16 mask is not rounded away.
  const fullScale = g.data instanceof Uint8Array ? 255 : 65535;
  const scale = fullScale === 255 ? 1 : 65535;
  const cut = (threshold * fullScale) / 255;
  const data = new Uint8Array(g.width * g.height);
  const values = new Set<number>();
  let maxValue = 0;
  for (let i = 0; i < data.length; i++) {
    const v = Math.round(g.data[i] * scale);
    if (values.size <= 16) values.add(v);
    if (v > maxValue) maxValue = v;
    data[i] = v > cut ? 1 : 0;
  }
  return { width: g.width, height: g.height, data, maxValue, values, fullScale };
}
