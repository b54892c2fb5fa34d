/**
 * Image headers without decoding: format and pixel size from PNG IHDR, JPEG SOFn or DICOM Rows/Columns, plus a
 * cheap truncation check (PNG must end with IEND, JPEG with EOI). Lets a loader refuse a 20000x20000 image or a
 * cut-off download before anything allocates the pixels.
 */
import * as fs from "fs";
import { isDicom, readDicomInfo } from "./dicom";

export type ImageFormat = "png" | "jpeg" | "dicom";

export interface ImageHeader {
  readonly format: ImageFormat;
  readonly width: number;
  readonly height: number;
  /** PNG bit depth / DICOM bits allocated; 8 for JPEG. */
  readonly bitDepth: number;
  /** DICOM: the first VOI window of its WindowCenter/WindowWidth tags, when it has one. */
  readonly window?: { readonly center: number; readonly width: number };
}

/** Default ceiling: 64 megapixels (8192²) is larger than any BMAD/MVTec image and 1/6 of a 20000² bomb. */
export const MAX_PIXELS = 64 * 1024 * 1024;

const PNG_SIG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const HEAD_BYTES = 256 * 1024;

function readRange(fd: number, start: number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  const n = fs.readSync(fd, buf, 0, length, start);
  return buf.subarray(0, n);
}

function jpegSize(fd: number, size: number, file: string): { width: number; height: number } {
  // Walk marker segments by their lengths, reading only each segment header.
  let pos = 2;
  while (pos + 4 <= size) {
    const head = readRange(fd, pos, 10);
    if (head[0] !== 0xff)
      throw new Error(`${file}: JPEG marker expected at byte ${pos}; the file is damaged, re-export it`);
    const marker = head[1];
    if (marker === 0xff) {
      pos += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      pos += 2;
      continue;
    }
    const len = head.readUInt16BE(2);
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (head.length < 9) break;
      return { height: head.readUInt16BE(5), width: head.readUInt16BE(7) };
    }
    if (marker === 0xd9 || marker === 0xda) break;
    pos += 2 + len;
  }
  throw new Error(
    `${file}: JPEG has no frame header (SOF) before the image data; the file is damaged or truncated, re-export it`,
  );
}

/** Reads the header; throws an error naming the file when it is unreadable, truncated or too large. */
export function probeImage(file: string, maxPixels = MAX_PIXELS): ImageHeader {
  let fd: number;
  try {
    fd = fs.openSync(file, "r");
  } catch (err) {
    throw new Error(
      `${file}: cannot open (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); check the path and permissions`,
    );
  }
  try {
    const size = fs.fstatSync(fd).size;
    if (size === 0) throw new Error(`${file}: empty file (0 bytes); re-export or remove it`);
    const head = readRange(fd, 0, Math.min(size, HEAD_BYTES));
    let header: ImageHeader;
    if (head.length >= 8 && PNG_SIG.every((b, i) => head[i] === b)) {
      if (head.length < 33 || head.toString("latin1", 12, 16) !== "IHDR")
        throw new Error(`${file}: PNG without an IHDR chunk; the file is damaged, re-export it`);
      header = { format: "png", width: head.readUInt32BE(16), height: head.readUInt32BE(20), bitDepth: head[24] };
      const tail = readRange(fd, Math.max(0, size - 12), 12);
      if (tail.length < 12 || tail.toString("latin1", 4, 8) !== "IEND") {
        throw new Error(`${file}: PNG is truncated (no IEND chunk at the end); re-download or re-export it`);
      }
    } else if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) {
      header = { format: "jpeg", ...jpegSize(fd, size, file), bitDepth: 8 };
      // EOI may be followed by padding or vendor trailers; look for it near the end.
      const tail = readRange(fd, Math.max(0, size - 1024), Math.min(size, 1024));
      if (tail.lastIndexOf(Buffer.from([0xff, 0xd9])) < 0)
        throw new Error(`${file}: JPEG is truncated (no end-of-image marker); re-download or re-export it`);
    } else if (isDicom(head) || /\.dcm$/i.test(file)) {
      const info = readDicomInfo(readRange(fd, 0, size), file);
      header = {
        format: "dicom",
        width: info.columns,
        height: info.rows,
        bitDepth: info.bitsAllocated,
        ...(info.window ? { window: info.window } : {}),
      };
    } else {
      throw new Error(`${file}: not a PNG, JPEG or DICOM file (unrecognised signature); convert it to PNG`);
    }
    if (header.width < 1 || header.height < 1)
      throw new Error(`${file}: header says ${header.width}x${header.height} pixels; the file is damaged`);
    if (header.width * header.height > maxPixels) {
      throw new Error(
        `${file}: ${header.width}x${header.height} pixels is over the ${maxPixels.toLocaleString("en-US")}-pixel limit; downscale or tile it first (or raise maxPixels)`,
      );
    }
    return header;
  } finally {
    fs.closeSync(fd);
  }
}
