/**
 * DICOM single images via dicom-parser (cornerstone's parser; it reads the data set, we turn pixels into a raster).
 * Uncompressed transfer syntaxes (implicit/explicit little endian, explicit big endian, deflated) and 8-bit JPEG
 * baseline (decoded with jpeg-js, already used for .jpg); other compressed pixel data (JPEG lossless/extended,
 * JPEG-LS, JPEG 2000, RLE) is refused with the syntax's name and a conversion command.
 * Greyscale goes through the modality LUT (rescale slope/intercept) and the VOI window chosen by window.ts (a given
 * window, else the file's first WindowCenter/WindowWidth, else the data's p0.5–p99.5); MONOCHROME1 is inverted.
 */
import * as dicomParser from "dicom-parser";
import { decodeJpeg } from "./jpegDecode";
import { Raster } from "./raster";
import { applyWindow, chooseWindow, percentileWindow, type AppliedWindow, type Window } from "./window";

export type DicomWindow = Window;

export interface DicomInfo {
  rows: number;
  columns: number;
  frames: number;
  samplesPerPixel: number;
  bitsAllocated: number;
  transferSyntax: string;
  photometric: string;
  /** The file's first VOI window, if any (the one viewers show by default). */
  window?: DicomWindow;
  /** Every VOI window of the file (WindowCenter/WindowWidth may hold several values, e.g. brain\\bone). */
  windows: DicomWindow[];
}

const UNCOMPRESSED: Record<string, string> = {
  "1.2.840.10008.1.2": "implicit VR little endian",
  "1.2.840.10008.1.2.1": "explicit VR little endian",
  "1.2.840.10008.1.2.2": "explicit VR big endian",
  "1.2.840.10008.1.2.1.99": "deflated explicit VR little endian",
};

const JPEG_BASELINE = "1.2.840.10008.1.2.4.50";

const COMPRESSED_NAMES: Record<string, string> = {
  "1.2.840.10008.1.2.5": "RLE lossless",
  "1.2.840.10008.1.2.4.50": "JPEG baseline",
  "1.2.840.10008.1.2.4.51": "JPEG extended",
  "1.2.840.10008.1.2.4.57": "JPEG lossless",
  "1.2.840.10008.1.2.4.70": "JPEG lossless SV1",
  "1.2.840.10008.1.2.4.80": "JPEG-LS lossless",
  "1.2.840.10008.1.2.4.81": "JPEG-LS near-lossless",
  "1.2.840.10008.1.2.4.90": "JPEG 2000 lossless",
  "1.2.840.10008.1.2.4.91": "JPEG 2000",
};

export function isDicom(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 132 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d
  );
}

function parse(bytes: Uint8Array, source: string): dicomParser.DataSet {
  try {
    // Files without the 128-byte preamble + "DICM" are raw implicit-VR data sets (older scanners, some exports).
    if (isDicom(bytes)) return dicomParser.parseDicom(bytes);
    const ds = dicomParser.parseDicom(bytes, { TransferSyntaxUID: "1.2.840.10008.1.2" });
    // Arbitrary bytes often "parse" as a raw data set; real ones carry image (0028) or identity (0008) tags.
    if (!Object.keys(ds.elements).some((t) => t.startsWith("x0028") || t.startsWith("x0008")))
      throw new Error("no 'DICM' marker and no DICOM image tags");
    return ds;
  } catch (err) {
    const msg =
      typeof err === "string"
        ? err
        : err instanceof Error
          ? err.message
          : ((err as { exception?: string }).exception ?? String(err));
    throw new Error(`${source}: unreadable DICOM (${msg}); the file is damaged or not DICOM, re-export it`);
  }
}

function infoOf(ds: dicomParser.DataSet, source: string): DicomInfo {
  const rows = ds.uint16("x00280010");
  const columns = ds.uint16("x00280011");
  if (!rows || !columns)
    throw new Error(`${source}: DICOM has no Rows/Columns (0028,0010/0011); it holds no image (SR, RTSTRUCT?)`);
  const count = Math.min(ds.numStringValues("x00281050") ?? 0, ds.numStringValues("x00281051") ?? 0);
  const windows: DicomWindow[] = [];
  for (let k = 0; k < count; k++) {
    const center = ds.floatString("x00281050", k);
    const width = ds.floatString("x00281051", k);
    if (center !== undefined && width !== undefined && Number.isFinite(center) && width > 0)
      windows.push({ center, width });
  }
  return {
    rows,
    columns,
    frames: ds.intString("x00280008") ?? 1,
    samplesPerPixel: ds.uint16("x00280002") ?? 1,
    bitsAllocated: ds.uint16("x00280100") ?? 16,
    transferSyntax: ds.string("x00020010") ?? "1.2.840.10008.1.2",
    photometric: (ds.string("x00280004") ?? "MONOCHROME2").trim(),
    window: windows[0],
    windows,
  };
}

/** Reads the header only (no pixel decoding): size, syntax, window. */
export function readDicomInfo(bytes: Uint8Array, source = "image"): DicomInfo {
  return infoOf(parse(bytes, source), source);
}

export interface DicomDecodeOptions {
  /** Overrides the file's window (e.g. brain W80/L40 for head CT). */
  window?: DicomWindow;
  /** Frame of a multi-frame file (default 0). */
  frame?: number;
}

export function decodeDicom(
  bytes: Uint8Array,
  source = "image",
  opts: DicomDecodeOptions = {},
): Raster & { info: DicomInfo; window: AppliedWindow | null } {
  const ds = parse(bytes, source);
  const info = infoOf(ds, source);
  const jpegBaseline = info.transferSyntax === JPEG_BASELINE;
  if (!UNCOMPRESSED[info.transferSyntax] && !jpegBaseline) {
    const name = COMPRESSED_NAMES[info.transferSyntax] ?? `transfer syntax ${info.transferSyntax}`;
    throw new Error(
      `${source}: DICOM pixel data is compressed (${name}), which MedAD Lab does not decode; convert it with \`gdcmconv --raw in.dcm out.dcm\` or \`dcmdjpeg in.dcm out.dcm\``,
    );
  }
  const pixel = ds.elements.x7fe00010;
  if (!pixel) throw new Error(`${source}: DICOM has no Pixel Data (7FE0,0010)`);
  const { rows, columns, samplesPerPixel: spp, bitsAllocated: bits } = info;
  const frame = opts.frame ?? 0;
  if (frame < 0 || frame >= info.frames)
    throw new Error(`${source}: frame ${frame} requested, the file has ${info.frames}`);
  const n = rows * columns;
  if (bits !== 8 && bits !== 16 && bits !== 32)
    throw new Error(`${source}: DICOM BitsAllocated ${bits} is not supported (8, 16 or 32)`);
  const signed = ds.uint16("x00280103") === 1;
  let read: (i: number) => number;
  if (jpegBaseline) {
    const rgba = decodeJpegFrame(ds, pixel, frame, info.frames, source);
    if (rgba.width !== columns || rgba.height !== rows)
      throw new Error(`${source}: JPEG frame is ${rgba.width}x${rgba.height}, the header says ${columns}x${rows}`);
    // jpeg-js returns RGBA; colour JPEGs come back as RGB already (YCbCr converted), grey ones replicated.
    read = spp === 3 ? (i) => rgba.rgba[Math.floor(i / 3) * 4 + (i % 3)] : (i) => rgba.rgba[i * 4];
  } else {
    const frameBytes = n * spp * (bits / 8);
    const start = pixel.dataOffset + frame * frameBytes;
    if (start + frameBytes > ds.byteArray.length) {
      throw new Error(
        `${source}: DICOM pixel data is truncated (${ds.byteArray.length - pixel.dataOffset} bytes, a frame needs ${frameBytes}); re-export the file`,
      );
    }
    const view = new DataView(ds.byteArray.buffer, ds.byteArray.byteOffset + start, frameBytes);
    const littleEndian = info.transferSyntax !== "1.2.840.10008.1.2.2";
    read = (i) => {
      if (bits === 8) return signed ? view.getInt8(i) : view.getUint8(i);
      if (bits === 16) return signed ? view.getInt16(i * 2, littleEndian) : view.getUint16(i * 2, littleEndian);
      return signed ? view.getInt32(i * 4, littleEndian) : view.getUint32(i * 4, littleEndian);
    };
  }
  if (spp === 3) {
    if (bits !== 8) throw new Error(`${source}: ${bits}-bit colour DICOM is not supported`);
    const planar = !jpegBaseline && ds.uint16("x00280006") === 1;
    const data = new Uint8Array(n * 3);
    for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) data[i * 3 + c] = read(planar ? c * n + i : i * 3 + c);
    return { width: columns, height: rows, channels: 3, data, info, window: null };
  }
  if (spp !== 1) throw new Error(`${source}: DICOM SamplesPerPixel ${spp} is not supported (1 or 3)`);
  if (info.photometric === "PALETTE COLOR")
    throw new Error(`${source}: palette-colour DICOM is not supported; convert it to RGB`);
  const slope = ds.floatString("x00281053") ?? 1;
  const intercept = ds.floatString("x00281052") ?? 0;
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = read(i) * slope + intercept;
  const own = info.window && { ...info.window, source: "dicom-tags" as const };
  const win = chooseWindow(opts.window, own, () => percentileWindow(values));
  const invert = info.photometric === "MONOCHROME1";
  const data = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const g = Math.round(applyWindow(values[i], win));
    data[i] = invert ? 255 - g : g;
  }
  return { width: columns, height: rows, channels: 1, data, info, window: win };
}

/** One frame of encapsulated JPEG pixel data, decoded to RGBA. */
function decodeJpegFrame(
  ds: dicomParser.DataSet,
  pixel: dicomParser.Element,
  frame: number,
  frames: number,
  source: string,
): { width: number; height: number; rgba: Uint8Array } {
  try {
    const fragments = pixel.fragments ?? [];
    const bytes =
      frames === 1
        ? dicomParser.readEncapsulatedPixelDataFromFragments(ds, pixel, 0, fragments.length)
        : dicomParser.readEncapsulatedImageFrame(
            ds,
            pixel,
            frame,
            pixel.basicOffsetTable?.length ? pixel.basicOffsetTable : dicomParser.createJPEGBasicOffsetTable(ds, pixel),
          );
    return decodeJpeg(bytes);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new Error(`${source}: cannot decode the DICOM's JPEG pixel data (${msg}); the file is damaged, re-export it`);
  }
}
