import * as assert from "assert";
import { PNG } from "pngjs";
import { jet, viridis, colormapTable } from "../../../kernel/protocol/colormap";
import { Canvas } from "../../../kernel/viz/raster/canvas";
import { ADVANCE, glyphRows, hasGlyph, textWidth } from "../../../kernel/viz/raster/font";
import { niceTicks, tickLabel } from "../../../kernel/viz/raster/ticks";

const RED: [number, number, number] = [255, 0, 0];

describe("raster canvas", () => {
  it("round-trips through PNG with the background and a filled rectangle", () => {
    const c = new Canvas(20, 10, [10, 20, 30]);
    c.fillRect(5, 2, 3, 4, RED);
    const png = PNG.sync.read(c.toPng());
    assert.strictEqual(png.width, 20);
    assert.strictEqual(png.height, 10);
    const at = (x: number, y: number) => Array.from(png.data.subarray((y * 20 + x) * 4, (y * 20 + x) * 4 + 4));
    assert.deepStrictEqual(at(0, 0), [10, 20, 30, 255]);
    assert.deepStrictEqual(at(5, 2), [255, 0, 0, 255]);
    assert.deepStrictEqual(at(7, 5), [255, 0, 0, 255]);
    assert.deepStrictEqual(at(8, 5), [10, 20, 30, 255]);
  });

  it("draws a horizontal line fully on its row and fades off it", () => {
    const c = new Canvas(30, 9);
    c.line(2, 4.5, 27, 4.5, RED, 1);
    assert.deepStrictEqual(c.pixel(15, 4), RED);
    assert.deepStrictEqual(c.pixel(15, 2), [255, 255, 255]);
    assert.deepStrictEqual(c.pixel(15, 6), [255, 255, 255]);
  });

  it("leaves the gaps of a dashed line blank", () => {
    const c = new Canvas(40, 3);
    c.line(0, 1.5, 40, 1.5, RED, 1, [5, 5]);
    assert.deepStrictEqual(c.pixel(2, 1), RED);
    assert.deepStrictEqual(c.pixel(7, 1), [255, 255, 255]);
    assert.deepStrictEqual(c.pixel(12, 1), RED);
  });

  it("fills a disc's centre and not its corners", () => {
    const c = new Canvas(11, 11);
    c.disc(5.5, 5.5, 4, RED);
    assert.deepStrictEqual(c.pixel(5, 5), RED);
    assert.deepStrictEqual(c.pixel(0, 0), [255, 255, 255]);
  });

  it("draws the glyph bitmap of each character, one spacing column apart", () => {
    const c = new Canvas(12, 7);
    c.text(0, 0, "A1", [0, 0, 0]);
    for (const [k, ch] of ["A", "1"].entries()) {
      const rows = glyphRows(ch);
      for (let y = 0; y < 7; y++) {
        for (let x = 0; x < 5; x++) {
          const ink = (rows[y] >> (4 - x)) & 1;
          assert.deepStrictEqual(c.pixel(k * ADVANCE + x, y), ink ? [0, 0, 0] : [255, 255, 255], `${ch} at ${x},${y}`);
        }
      }
    }
    assert.strictEqual(textWidth("A1"), 11);
    assert.strictEqual(textWidth("A1", 2), 22);
  });

  it("has a distinct glyph for every printable character and a box for others", () => {
    const seen = new Set<string>();
    for (let code = 33; code < 127; code++) seen.add(glyphRows(String.fromCharCode(code)).join(","));
    assert.strictEqual(seen.size, 126 - 33 + 1);
    assert.deepStrictEqual(glyphRows("€"), [0x1f, 0x11, 0x11, 0x11, 0x11, 0x11, 0x1f]);
    assert.strictEqual(hasGlyph("€"), false);
  });

  it("draws accented letters as their base letter and records characters it has no glyph for", () => {
    assert.deepStrictEqual(glyphRows("é"), glyphRows("e"));
    assert.ok(hasGlyph("é") && hasGlyph("·") && hasGlyph("±"));
    const c = new Canvas(60, 9);
    c.text(0, 0, "a·b€", [0, 0, 0]);
    assert.deepStrictEqual([...c.missingGlyphs], ["€"]);
    assert.deepStrictEqual(c.texts, [{ x: 0, y: 0, width: 23, height: 7, text: "a·b€" }]);
  });

  it("rotates vertical text a quarter turn counter-clockwise", () => {
    const c = new Canvas(7, 6);
    c.text(0, 5, "L", [0, 0, 0], 1, true); // L: a full-height stem in column 0 and a full bottom row
    // The stem (glyph column 0) becomes canvas row 4 (bottom); the foot (glyph row 6) becomes canvas column 6.
    for (let y = 0; y < 7; y++) assert.deepStrictEqual(c.pixel(y, 4), [0, 0, 0]);
    for (let x = 0; x < 5; x++) assert.deepStrictEqual(c.pixel(6, 4 - x), [0, 0, 0]);
    assert.deepStrictEqual(c.pixel(0, 3), [255, 255, 255]);
  });
});

describe("colormaps", () => {
  it("match matplotlib's jet at its ends and middle", () => {
    assert.deepStrictEqual(jet(0), [0, 0, 128]);
    assert.deepStrictEqual(jet(0.5), [128, 255, 128]);
    assert.deepStrictEqual(jet(1), [128, 0, 0]);
    assert.deepStrictEqual(jet(-3), jet(0));
  });

  it("match viridis at its ends and interpolate between stops", () => {
    assert.deepStrictEqual(viridis(0), [68, 1, 84]);
    assert.deepStrictEqual(viridis(1), [253, 231, 37]);
    assert.deepStrictEqual(viridis(0.5), [33, 145, 140]);
    const mid = viridis(1 / 16);
    assert.deepStrictEqual(mid, [70, 23, 104]);
  });

  it("tabulate 256 entries", () => {
    const t = colormapTable("jet");
    assert.strictEqual(t.length, 768);
    assert.deepStrictEqual(Array.from(t.subarray(765)), jet(1));
  });
});

describe("axis ticks", () => {
  it("picks 1-2-2.5-5 steps and labels them without float noise", () => {
    const ticks = niceTicks(0, 1);
    assert.deepStrictEqual(
      ticks.map((t) => tickLabel(t, ticks)),
      ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"],
    );
    const big = niceTicks(0, 1000);
    assert.deepStrictEqual(big, [0, 200, 400, 600, 800, 1000]);
    assert.deepStrictEqual(
      big.map((t) => tickLabel(t, big)),
      ["0", "200", "400", "600", "800", "1000"],
    );
    const quarter = niceTicks(0, 0.1, 4);
    assert.deepStrictEqual(
      quarter.map((t) => tickLabel(t, quarter)),
      ["0.000", "0.025", "0.050", "0.075", "0.100"],
    );
  });
});
