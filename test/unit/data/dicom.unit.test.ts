import * as assert from "assert";
import { decodeDicom, readDicomInfo } from "../../../kernel/imaging/dicom";
import { applyWindow } from "../../../kernel/imaging/window";
import { encodeDicom } from "../../helpers/dicomEncode";

describe("DICOM decoding", () => {
  it("windows with the file's center/width tags (PS3.3 linear VOI)", () => {
    const bytes = encodeDicom({ rows: 1, columns: 4, bitsAllocated: 16, pixels: [0, 40, 80, 200], window: { center: 40, width: 80 } });
    const img = decodeDicom(bytes, "ct.dcm");
    // c - 0.5 = 39.5, w - 1 = 79: 0 -> 0, 40 -> (0.5/79 + 0.5)*255, 80 -> 255 (beyond 79), 200 -> 255
    assert.deepStrictEqual(Array.from(img.data), [0, Math.round((0.5 / 79 + 0.5) * 255), 255, 255]);
    assert.deepStrictEqual(img.info.window, { center: 40, width: 80 });
  });

  it("lets the caller override the window, and applies rescale slope/intercept first", () => {
    const bytes = encodeDicom({ rows: 1, columns: 3, bitsAllocated: 16, signed: true, pixels: [-1000, 0, 1000], rescale: { slope: 1, intercept: -1024 }, window: { center: 40, width: 80 } });
    const tagged = decodeDicom(bytes, "ct.dcm");
    assert.deepStrictEqual(Array.from(tagged.data), [0, 0, 0], "HU -2024, -1024, -24 are all below a brain window");
    const bone = decodeDicom(bytes, "ct.dcm", { window: { center: -1024, width: 2000 } });
    assert.deepStrictEqual(Array.from(bone.data), [Math.round(applyWindow(-2024, { center: -1024, width: 2000 })), 128, Math.round(applyWindow(-24, { center: -1024, width: 2000 }))]);
  });

  it("uses the data's min..max without window tags and inverts MONOCHROME1", () => {
    const plain = decodeDicom(encodeDicom({ rows: 1, columns: 3, bitsAllocated: 16, pixels: [100, 150, 200] }));
    assert.strictEqual(plain.data[0], 0);
    assert.strictEqual(plain.data[2], 255);
    const inverted = decodeDicom(encodeDicom({ rows: 1, columns: 3, bitsAllocated: 16, pixels: [100, 150, 200], photometric: "MONOCHROME1" }));
    assert.deepStrictEqual(Array.from(inverted.data), Array.from(plain.data).map((v) => 255 - v));
  });

  it("reads 8-bit RGB", () => {
    const img = decodeDicom(encodeDicom({ rows: 1, columns: 2, bitsAllocated: 8, samplesPerPixel: 3, pixels: [1, 2, 3, 4, 5, 6] }));
    assert.strictEqual(img.channels, 3);
    assert.deepStrictEqual(Array.from(img.data), [1, 2, 3, 4, 5, 6]);
  });

  it("refuses compressed transfer syntaxes with a conversion hint, and truncated pixel data", () => {
    const j2k = encodeDicom({ rows: 1, columns: 1, bitsAllocated: 8, pixels: [0], transferSyntax: "1.2.840.10008.1.2.4.90" });
    assert.throws(() => decodeDicom(j2k, "x.dcm"), /x\.dcm: DICOM pixel data is compressed \(JPEG 2000 lossless\).*gdcmconv --raw/);
    assert.strictEqual(readDicomInfo(j2k).rows, 1, "the header is still readable");
    // JPEG baseline is decoded, so pixel data that is not encapsulated JPEG is a damaged file.
    const fakeJpeg = encodeDicom({ rows: 1, columns: 1, bitsAllocated: 8, pixels: [0], transferSyntax: "1.2.840.10008.1.2.4.50" });
    assert.throws(() => decodeDicom(fakeJpeg, "y.dcm"), /y\.dcm: cannot decode the DICOM's JPEG pixel data/);
    const cut = encodeDicom({ rows: 4, columns: 4, bitsAllocated: 16, pixels: new Array(16).fill(1), truncate: 10 });
    assert.throws(() => decodeDicom(cut, "cut.dcm"), /cut\.dcm: (DICOM pixel data is truncated|unreadable DICOM)/);
  });

  it("names the file when the bytes are not DICOM", () => {
    assert.throws(() => decodeDicom(Buffer.from("hello world"), "junk.dcm"), /junk\.dcm: unreadable DICOM/);
  });
});
