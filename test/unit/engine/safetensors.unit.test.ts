import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { WeightsError } from "../../../kernel/engine/weights/errors";
import { bf16ToF32, f16ToF32, halfToFloat } from "../../../kernel/engine/weights/halfFloat";
import { SafetensorsFile } from "../../../kernel/engine/weights/safetensors";
import { encodeSafetensors, writeSafetensors } from "../../../kernel/engine/weights/safetensorsWrite";
import { tempDir } from "./helpers";

function rawFile(
  dir: string,
  name: string,
  header: object | string,
  data: Buffer = Buffer.alloc(0),
  lenOverride?: bigint,
): string {
  const json = Buffer.from(typeof header === "string" ? header : JSON.stringify(header));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(lenOverride ?? BigInt(json.length));
  const file = path.join(dir, name);
  fs.writeFileSync(file, Buffer.concat([len, json, data]));
  return file;
}

function expectError(fn: () => unknown, file: string, pattern: RegExp, tensor?: string): void {
  assert.throws(fn, (e: Error) => {
    assert.ok(e instanceof WeightsError, `not a WeightsError: ${e}`);
    assert.ok(e.message.includes(file), `message does not name the file: ${e.message}`);
    if (tensor) assert.ok(e.message.includes(tensor), `message does not name the tensor ${tensor}: ${e.message}`);
    assert.match(e.message, pattern);
    return true;
  });
}

describe("engine/weights: safetensors", () => {
  let dir: string;
  before(() => (dir = tempDir()));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("converts IEEE half exactly: normals, subnormals, ±0, ±inf, NaN", () => {
    assert.strictEqual(halfToFloat(0x3c00), 1);
    assert.strictEqual(halfToFloat(0xc000), -2);
    assert.strictEqual(halfToFloat(0x7bff), 65504);
    assert.strictEqual(halfToFloat(0x0001), 2 ** -24);
    assert.strictEqual(halfToFloat(0x03ff), 1023 * 2 ** -24);
    assert.ok(Object.is(halfToFloat(0x8000), -0));
    assert.strictEqual(halfToFloat(0x7c00), Infinity);
    assert.strictEqual(halfToFloat(0xfc00), -Infinity);
    assert.ok(Number.isNaN(halfToFloat(0x7e00)));
    assert.deepStrictEqual([...f16ToF32(Uint16Array.of(0x3555, 0x3c01))], [Math.fround(0.333251953125), 1.0009765625]);
    assert.deepStrictEqual([...bf16ToF32(Uint16Array.of(0x3f80, 0xc0a0, 0x0001))], [1, -5, Math.fround(2 ** -133)]);
  });

  it("reads F32 / F16 / BF16 / F64 as float32 and integers as int64, with metadata", () => {
    const file = path.join(dir, "mixed.safetensors");
    writeSafetensors(
      file,
      {
        a: { dtype: "F32", shape: [2, 2], data: Float32Array.of(1, -2, 3.5, 4) },
        h: { dtype: "F16", shape: [3], data: Uint16Array.of(0x3c00, 0xc400, 0x0001) },
        bf: { dtype: "BF16", shape: [2], data: Uint16Array.of(0x4040, 0xbf00) },
        d: { dtype: "F64", shape: [2], data: Float64Array.of(0.1, -1e-3) },
        ids: { dtype: "I32", shape: [3], data: Int32Array.of(49406, 7, 0) },
        big: { dtype: "I64", shape: [1], data: BigInt64Array.of(-3n) },
      },
      { format: "pt" },
    );
    const st = SafetensorsFile.open(file);
    assert.deepStrictEqual(st.metadata, { format: "pt" });
    assert.deepStrictEqual(st.names().sort(), ["a", "bf", "big", "d", "h", "ids"]);
    const a = st.readFloat32("a", [2, 2]);
    assert.deepStrictEqual([...a.data], [1, -2, 3.5, 4]);
    assert.deepStrictEqual(a.shape, [2, 2]);
    assert.deepStrictEqual([...st.readFloat32("h").data], [1, -4, 2 ** -24]);
    assert.deepStrictEqual([...st.readFloat32("bf").data], [3, -0.5]);
    assert.deepStrictEqual([...st.readFloat32("d").data], [Math.fround(0.1), Math.fround(-1e-3)]);
    assert.deepStrictEqual([...st.readFloat64("d").data], [0.1, -1e-3]);
    assert.deepStrictEqual([...st.readInt64("ids").data], [49406n, 7n, 0n]);
    assert.deepStrictEqual([...st.readInt64("big").data], [-3n]);
    st.close();
  });

  it("reads F32 at an unaligned file offset correctly (the read buffer is always aligned)", () => {
    // A 2-byte F16 tensor first puts the F32 tensor at data offset 2.
    const buf = encodeSafetensors({
      pad: { dtype: "F16", shape: [1], data: Uint16Array.of(0x3c00) },
      x: { dtype: "F32", shape: [2], data: Float32Array.of(7.25, -1) },
    });
    const file = path.join(dir, "unaligned.safetensors");
    fs.writeFileSync(file, buf);
    const st = SafetensorsFile.open(file);
    assert.strictEqual((st.info("x").begin - st.info("pad").begin) % 4, 2);
    assert.deepStrictEqual([...st.readFloat32("x").data], [7.25, -1]);
    st.close();
  });

  it("names the file for files that are too short, truncated or not safetensors", () => {
    const short = path.join(dir, "short.bin");
    fs.writeFileSync(short, Buffer.from([1, 2, 3]));
    expectError(() => SafetensorsFile.open(short), short, /shorter than the 8-byte header length/);
    const trunc = rawFile(
      dir,
      "trunc-header.safetensors",
      { a: { dtype: "F32", shape: [1], data_offsets: [0, 4] } },
      Buffer.alloc(0),
      500n,
    );
    expectError(() => SafetensorsFile.open(trunc), trunc, /truncated: the header needs 500 bytes/);
    const png = path.join(dir, "image.png");
    fs.writeFileSync(png, Buffer.from("\x89PNG\r\n\x1a\n0000000000000000", "binary"));
    expectError(() => SafetensorsFile.open(png), png, /not a safetensors file/);
    const notJson = rawFile(dir, "notjson.safetensors", "{oops");
    expectError(() => SafetensorsFile.open(notJson), notJson, /header is not valid JSON/);
    const missing = path.join(dir, "absent.safetensors");
    expectError(() => SafetensorsFile.open(missing), missing, /cannot open/);
  });

  it("names the tensor when its data runs past the end, its size disagrees with the shape, or it is missing", () => {
    const past = rawFile(
      dir,
      "past.safetensors",
      { w: { dtype: "F32", shape: [4], data_offsets: [0, 16] } },
      Buffer.alloc(8),
    );
    expectError(
      () => SafetensorsFile.open(past),
      past,
      /truncated: data_offsets \[0, 16\] extend past the end of the data \(8 bytes\)/,
      "w",
    );
    const size = rawFile(
      dir,
      "size.safetensors",
      { w: { dtype: "F32", shape: [3], data_offsets: [0, 8] } },
      Buffer.alloc(8),
    );
    expectError(() => SafetensorsFile.open(size), size, /span 8 bytes but F32 \[3\] needs 12/, "w");
    const file = path.join(dir, "ok.safetensors");
    writeSafetensors(file, { w: { dtype: "F32", shape: [2, 3], data: new Float32Array(6) } });
    const st = SafetensorsFile.open(file);
    expectError(() => st.readFloat32("vision_model.x"), file, /tensor not found/, "vision_model.x");
    expectError(() => st.readFloat32("w", [3, 2]), file, /shape \[2, 3\] does not match the expected \[3, 2\]/, "w");
    st.close();
  });

  it("rejects unsupported dtypes naming the tensor and the dtype", () => {
    const file = rawFile(
      dir,
      "f8.safetensors",
      {
        q: { dtype: "F8_E4M3", shape: [2], data_offsets: [0, 2] },
        i: { dtype: "I32", shape: [1], data_offsets: [2, 6] },
      },
      Buffer.alloc(6),
    );
    const st = SafetensorsFile.open(file);
    expectError(() => st.readFloat32("q"), file, /unsupported dtype F8_E4M3/, "q");
    expectError(() => st.readFloat32("i"), file, /unsupported dtype I32 for a float tensor/, "i");
    expectError(() => st.readInt64("q"), file, /unsupported dtype F8_E4M3 for an integer tensor/, "q");
    st.close();
  });
});
