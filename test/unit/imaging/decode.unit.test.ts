import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as jpeg from "jpeg-js";
import { PNG } from "pngjs";
import { decodeGray, decodeRgb, readRgb } from "../../../kernel/imaging";
import { encodePng } from "../../helpers/pngEncode";
import { tinyClipImages } from "../../helpers/fixturePaths";

describe("image decoding", () => {
  it("replicates 8-bit grey into R, G, B", () => {
    const img = decodeRgb(encodePng({ width: 2, height: 1, colorType: 0, bitDepth: 8, samples: [5, 250] }));
    assert.deepStrictEqual(Array.from(img.data), [5, 5, 5, 250, 250, 250]);
  });

  it("scales 1/2/4-bit grey to 0..255 as PIL does", () => {
    assert.deepStrictEqual(
      Array.from(decodeRgb(encodePng({ width: 2, height: 1, colorType: 0, bitDepth: 1, samples: [1, 0] })).data),
      [255, 255, 255, 0, 0, 0],
    );
    assert.deepStrictEqual(
      Array.from(decodeGray(encodePng({ width: 4, height: 1, colorType: 0, bitDepth: 2, samples: [0, 1, 2, 3] })).data),
      [0, 85, 170, 255],
    );
    assert.deepStrictEqual(
      Array.from(decodeGray(encodePng({ width: 2, height: 1, colorType: 0, bitDepth: 4, samples: [1, 15] })).data),
      [17, 255],
    );
  });

  it("drops alpha without compositing (RGBA and grey+alpha)", () => {
    const rgba = decodeRgb(encodePng({ width: 1, height: 1, colorType: 6, bitDepth: 8, samples: [10, 20, 30, 0] }));
    assert.deepStrictEqual(Array.from(rgba.data), [10, 20, 30]);
    const la = decodeRgb(encodePng({ width: 1, height: 1, colorType: 4, bitDepth: 8, samples: [99, 7] }));
    assert.deepStrictEqual(Array.from(la.data), [99, 99, 99]);
  });

  it("looks up palette colours, ignoring palette transparency", () => {
    const png = encodePng({
      width: 3,
      height: 1,
      colorType: 3,
      bitDepth: 4,
      samples: [2, 0, 1],
      palette: [
        [1, 2, 3],
        [40, 50, 60],
        [200, 100, 0],
      ],
      trns: Buffer.from([0, 128]),
    });
    assert.deepStrictEqual(Array.from(decodeRgb(png).data), [200, 100, 0, 1, 2, 3, 40, 50, 60]);
  });

  it("keeps the colour of pixels matching an RGB tRNS key (PIL convert('RGB') ignores it)", () => {
    const png = encodePng({
      width: 2,
      height: 1,
      colorType: 2,
      bitDepth: 8,
      samples: [9, 8, 7, 1, 2, 3],
      trns: Buffer.from([0, 9, 0, 8, 0, 7]),
    });
    assert.deepStrictEqual(Array.from(decodeRgb(png).data), [9, 8, 7, 1, 2, 3]);
  });

  it("keeps 16-bit precision as float samples in [0, 1]", () => {
    const rgb = decodeRgb(encodePng({ width: 1, height: 1, colorType: 2, bitDepth: 16, samples: [0, 1, 65535] }));
    assert.ok(rgb.data instanceof Float32Array);
    assert.deepStrictEqual(Array.from(rgb.data), [0, Math.fround(1 / 65535), 1]);
    const grey = decodeGray(encodePng({ width: 2, height: 1, colorType: 0, bitDepth: 16, samples: [300, 65535] }));
    assert.deepStrictEqual(Array.from(grey.data), [Math.fround(300 / 65535), 1]);
  });

  it("converts colour to grey with PIL's L = 0.299 R + 0.587 G + 0.114 B fixed point", () => {
    const g = decodeGray(
      encodePng({ width: 3, height: 1, colorType: 2, bitDepth: 8, samples: [255, 0, 0, 0, 255, 0, 10, 200, 30] }),
    );
    assert.deepStrictEqual(Array.from(g.data), [
      76,
      150,
      Math.floor((19595 * 10 + 38470 * 200 + 7471 * 30 + 0x8000) / 65536),
    ]);
  });

  it("decodes the fixture PNG like pngjs does (sanity of the RGB path)", () => {
    const file = path.join(tinyClipImages, "test_1.png");
    const img = readRgb(file);
    const ref = PNG.sync.read(fs.readFileSync(file));
    assert.strictEqual(img.width, 70);
    assert.strictEqual(img.height, 60);
    for (let i = 0; i < 70 * 60; i += 97) assert.strictEqual(img.data[i * 3 + 1], ref.data[i * 4 + 1]);
  });

  it("decodes JPEG (within JPEG's loss) to RGB", () => {
    const w = 16;
    const h = 8;
    const rgba = Buffer.alloc(w * h * 4);
    for (let i = 0; i < w * h; i++) rgba.set([200, 40, 90, 255], i * 4);
    const bytes = jpeg.encode({ width: w, height: h, data: rgba }, 100).data;
    const img = decodeRgb(bytes, "flat.jpg");
    assert.strictEqual(img.width, w);
    for (let i = 0; i < w * h; i++) {
      assert.ok(
        Math.abs(img.data[i * 3] - 200) <= 3 &&
          Math.abs(img.data[i * 3 + 1] - 40) <= 3 &&
          Math.abs(img.data[i * 3 + 2] - 90) <= 3,
      );
    }
  });

  it("names the file when it does not decode", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "medad-img-"));
    try {
      const truncated = path.join(dir, "cut.png");
      fs.writeFileSync(truncated, fs.readFileSync(path.join(tinyClipImages, "test_0.png")).subarray(0, 200));
      assert.throws(
        () => readRgb(truncated),
        (err: Error) => err.message.startsWith(`${truncated}: cannot decode image`),
      );
      const text = path.join(dir, "notes.png");
      fs.writeFileSync(text, "hello");
      assert.throws(
        () => readRgb(text),
        new RegExp(`${text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: not a PNG or JPEG`),
      );
      assert.throws(() => readRgb(path.join(dir, "missing.png")), /missing\.png: cannot read image \(ENOENT\)/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
