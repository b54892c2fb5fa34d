// Minimal DICOM Part 10 writer for tests: explicit VR little endian (or another syntax UID), 8/16-bit pixels.
export interface DicomSpec {
  rows: number;
  columns: number;
  bitsAllocated: 8 | 16;
  signed?: boolean;
  samplesPerPixel?: 1 | 3;
  photometric?: string;
  window?: { center: number; width: number };
  /** Several VOI windows, written as multi-valued WindowCenter/WindowWidth ("40\\400"); overrides `window`. */
  windows?: { center: number; width: number }[];
  rescale?: { slope: number; intercept: number };
  transferSyntax?: string;
  /** Pixel values, row-major (interleaved for colour). */
  pixels: number[];
  /** Drop this many bytes from the end (truncation tests). */
  truncate?: number;
}

function element(group: number, elem: number, vr: string, value: Buffer): Buffer {
  const long = ["OB", "OW", "OF", "SQ", "UT", "UN"].includes(vr);
  const head = Buffer.alloc(long ? 12 : 8);
  head.writeUInt16LE(group, 0);
  head.writeUInt16LE(elem, 2);
  head.write(vr, 4, "latin1");
  if (long) head.writeUInt32LE(value.length, 8);
  else head.writeUInt16LE(value.length, 6);
  return Buffer.concat([head, value]);
}

function str(s: string): Buffer {
  const b = Buffer.from(s, "latin1");
  return b.length % 2 ? Buffer.concat([b, Buffer.from(" ")]) : b;
}

function uid(s: string): Buffer {
  const b = Buffer.from(s, "latin1");
  return b.length % 2 ? Buffer.concat([b, Buffer.from([0])]) : b;
}

function us(v: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(v, 0);
  return b;
}

export function encodeDicom(spec: DicomSpec): Buffer {
  const syntax = spec.transferSyntax ?? "1.2.840.10008.1.2.1";
  const metaBody = Buffer.concat([
    element(0x0002, 0x0001, "OB", Buffer.from([0, 1])),
    element(0x0002, 0x0010, "UI", uid(syntax)),
  ]);
  const groupLen = Buffer.alloc(4);
  groupLen.writeUInt32LE(metaBody.length, 0);
  const meta = Buffer.concat([element(0x0002, 0x0000, "UL", groupLen), metaBody]);
  const spp = spec.samplesPerPixel ?? 1;
  const parts = [
    element(0x0028, 0x0002, "US", us(spp)),
    element(0x0028, 0x0004, "CS", str(spec.photometric ?? (spp === 3 ? "RGB" : "MONOCHROME2"))),
    element(0x0028, 0x0010, "US", us(spec.rows)),
    element(0x0028, 0x0011, "US", us(spec.columns)),
    element(0x0028, 0x0100, "US", us(spec.bitsAllocated)),
    element(0x0028, 0x0101, "US", us(spec.bitsAllocated)),
    element(0x0028, 0x0103, "US", us(spec.signed ? 1 : 0)),
  ];
  const windows = spec.windows ?? (spec.window ? [spec.window] : []);
  if (windows.length)
    parts.push(
      element(0x0028, 0x1050, "DS", str(windows.map((w) => String(w.center)).join("\\"))),
      element(0x0028, 0x1051, "DS", str(windows.map((w) => String(w.width)).join("\\"))),
    );
  if (spec.rescale)
    parts.push(
      element(0x0028, 0x1052, "DS", str(String(spec.rescale.intercept))),
      element(0x0028, 0x1053, "DS", str(String(spec.rescale.slope))),
    );
  const pix = Buffer.alloc(
    spec.pixels.length * (spec.bitsAllocated / 8) + ((spec.pixels.length * (spec.bitsAllocated / 8)) % 2),
  );
  spec.pixels.forEach((v, i) => {
    if (spec.bitsAllocated === 8) pix[i] = v & 0xff;
    else if (spec.signed) pix.writeInt16LE(v, i * 2);
    else pix.writeUInt16LE(v, i * 2);
  });
  parts.push(element(0x7fe0, 0x0010, spec.bitsAllocated === 8 ? "OB" : "OW", pix));
  const file = Buffer.concat([Buffer.alloc(128), Buffer.from("DICM", "latin1"), meta, ...parts]);
  return spec.truncate ? file.subarray(0, file.length - spec.truncate) : file;
}
