// Window/level of 16-bit inputs (kernel/imaging/window.ts) on generated DICOM and NIfTI files: the given window,
// else the file's tags (DICOM WindowCenter/WindowWidth, multi-valued too; NIfTI cal_min/cal_max), else the data's
// p0.5–p99.5 — the same rule in DICOM decoding, NIfTI slices, `medad data slice` and %dataset.
import * as assert from "assert";
import * as path from "path";
import { setDisplaySink } from "../../../kernel/api/displaySink";
import { main } from "../../../kernel/cli/main";
import { loadDataset } from "../../../kernel/data/loadDataset";
import { windowSummary } from "../../../kernel/data/display/windowSummary";
import { exportAxialSlices } from "../../../kernel/data/niftiExport";
import { decodeDicom, readDicomInfo } from "../../../kernel/imaging/dicom";
import { readImage, readImageWindowed } from "../../../kernel/imaging/readImage";
import {
  applyWindow,
  describeWindow,
  parseWindow,
  percentileWindow,
  windowRange,
} from "../../../kernel/imaging/window";
import type { MagicContext, MagicInvocation } from "../../../kernel/magics/magic";
import { MagicError } from "../../../kernel/magics/errors";
import { datasetMagic } from "../../../kernel/magics/ml/dataset";
import type { MimeBundle } from "../../../kernel/protocol/outputs";
import { encodePng8 } from "../../../kernel/imaging/pngEncode";
import { encodeDicom } from "../../helpers/dicomEncode";
import { encodeNifti } from "../../helpers/niftiEncode";
import { rmTree, tempDir, write } from "../../helpers/tempTree";

/** 0..999 in a 40×25 image, with one bright outlier (a marker, a metal clip) at 60000. */
const RAMP = Array.from({ length: 1000 }, (_, i) => (i === 999 ? 60000 : i));

function ctSlice(spec: Partial<Parameters<typeof encodeDicom>[0]> = {}): Buffer {
  return encodeDicom({ rows: 25, columns: 40, bitsAllocated: 16, pixels: RAMP, ...spec });
}

describe("imaging/window: window/level of 16-bit DICOM and NIfTI", () => {
  let root: string;
  beforeEach(() => (root = tempDir()));
  afterEach(() => rmTree(root));

  it("parses CENTER,WIDTH and refuses anything else with the fix", () => {
    assert.deepStrictEqual(parseWindow("40,400"), { center: 40, width: 400 });
    assert.deepStrictEqual(parseWindow(" -600 , 1500.5 "), { center: -600, width: 1500.5 });
    assert.throws(() => parseWindow("40"), /'40' is not a window; give CENTER,WIDTH/);
    assert.throws(() => parseWindow("40,0"), /width must be > 0/);
    assert.throws(() => parseWindow("40,-5"), /width must be > 0/);
  });

  it("the percentile window ignores a 0.1 % outlier that a min..max window would stretch to", () => {
    const w = percentileWindow(RAMP);
    const { low, high } = windowRange(w);
    assert.strictEqual(low, 5, "p0.5 of 0..998 (+ one outlier) by nearest rank");
    assert.strictEqual(high, 994);
    const nonZero = percentileWindow([0, 0, 0, 0, 10, 20, 30], { ignoreZero: true });
    assert.deepStrictEqual(windowRange(nonZero), { low: 10, high: 30 });
  });

  it("DICOM: the file's WindowCenter/WindowWidth by default, the first of multi-valued tags, a given one over both", () => {
    const tagged = decodeDicom(ctSlice({ window: { center: 500, width: 200 } }), "t.dcm");
    assert.deepStrictEqual(tagged.window, { center: 500, width: 200, source: "dicom-tags" });
    assert.strictEqual(tagged.data[399], 0, "value 399 is below 400..600");
    assert.strictEqual(tagged.data[500], Math.round(applyWindow(500, { center: 500, width: 200 })));
    assert.strictEqual(tagged.data[700], 255);

    const multi = ctSlice({
      windows: [
        { center: 300, width: 100 },
        { center: 600, width: 800 },
      ],
    });
    assert.deepStrictEqual(readDicomInfo(multi).windows, [
      { center: 300, width: 100 },
      { center: 600, width: 800 },
    ]);
    const first = decodeDicom(multi, "m.dcm");
    assert.deepStrictEqual(first.window, { center: 300, width: 100, source: "dicom-tags" });
    assert.strictEqual(first.data[360], 255, "360 is above the first window (250..350), not inside the second");

    const given = decodeDicom(multi, "m.dcm", { window: { center: 600, width: 800 } });
    assert.deepStrictEqual(given.window, { center: 600, width: 800, source: "given" });
    assert.ok(given.data[360] > 0 && given.data[360] < 255);
  });

  it("DICOM without window tags: p0.5–p99.5 of its values, so one outlier does not turn the image black", () => {
    const r = decodeDicom(ctSlice(), "plain.dcm");
    assert.strictEqual(r.window?.source, "percentile");
    assert.deepStrictEqual(windowRange(r.window!), { low: 5, high: 994 });
    const mid = r.data[500];
    assert.ok(mid > 100 && mid < 155, `value 500 shows mid-grey (${mid}), not near black as under min..max`);
    // readImage and readImageWindowed give the same pixels; the latter says which window made them.
    const file = write(root, "plain.dcm", ctSlice());
    const w = readImageWindowed(file, { mode: "gray" });
    assert.deepStrictEqual(Array.from(w.raster.data), Array.from(readImage(file, { mode: "gray" }).data));
    assert.deepStrictEqual(w.window, r.window);
    assert.strictEqual(
      readImageWindowed(write(root, "a.png", encodePng8(2, 2, new Uint8Array([0, 1, 2, 3]), "gray")), {}).window,
      null,
    );
  });

  it("NIfTI: cal_min/cal_max by default, else p0.5–p99.5 of non-zero voxels; `medad data slice` prints the window", async () => {
    const values = Array.from({ length: 10 * 10 * 2 }, (_, i) => i * 10);
    const cal = write(
      root,
      "cal.nii",
      encodeNifti({ dims: [10, 10, 2], datatype: 4, values, cal: { min: 0, max: 1000 } }),
    );
    const e = exportAxialSlices(cal, path.join(root, "cal"));
    assert.deepStrictEqual(e.window, { center: 500, width: 1000, source: "nifti-cal" });
    const px = Array.from(readImage(e.files[0], { mode: "gray" }).data).sort((a, b) => a - b);
    const expected = values.slice(0, 100).map((v) => Math.round((v / 1000) * 255));
    assert.deepStrictEqual(px, expected, "slice 0 (0..990) mapped linearly from 0..1000, none clipped");

    const plain = write(root, "plain.nii", encodeNifti({ dims: [10, 10, 2], datatype: 4, values }));
    const p = exportAxialSlices(plain, path.join(root, "plain"));
    assert.strictEqual(p.window.source, "percentile");
    assert.deepStrictEqual(
      windowRange(p.window),
      { low: 20, high: 1980 },
      "nearest rank over the 199 non-zero voxels 10..1990",
    );

    const given = exportAxialSlices(cal, path.join(root, "given"), { window: { center: 100, width: 50 } });
    assert.deepStrictEqual(given.window, { center: 100, width: 50, source: "given" });

    const out: string[] = [];
    const io = { out: (t: string) => void out.push(t), err: (t: string) => void out.push(t) };
    assert.strictEqual(await main(["data", "slice", cal, "--out", path.join(root, "cli"), "--range", "0:0"], io), 0);
    assert.match(out.join(""), /window: C 500, W 1000 \(NIfTI cal_min\/cal_max\)/);
    assert.strictEqual(await main(["data", "slice", cal, "--out", path.join(root, "cli"), "--window", "40,0"], io), 2);
  });

  it("%dataset shows DICOM thumbnails through the files' windows or --window, and says which", async () => {
    write(root, "set/good/tagged.dcm", ctSlice({ window: { center: 500, width: 200 } }));
    write(root, "set/good/plain.dcm", ctSlice());
    write(root, "set/ungood/b.dcm", ctSlice({ window: { center: 500, width: 200 } }));
    const ds = loadDataset(path.join(root, "set"));
    assert.strictEqual(ds.samples.length, 3);
    assert.match(
      windowSummary(ds)!.text,
      /2 DICOM images use their own tags \(first: C 500, W 200 \(DICOM WindowCenter\/WindowWidth\)\); 1 have no window tags/,
    );
    const shown: MimeBundle[] = [];
    setDisplaySink((d) => shown.push(d));
    try {
      const run = async (args: string) => {
        const printed: string[] = [];
        const ctx: MagicContext = {
          runCode: async () => "ok",
          print: (t) => void printed.push(t),
          signal: new AbortController().signal,
          magics: () => [],
        };
        const inv: MagicInvocation = { name: "dataset", kind: "line", args, line: 1, argsColumn: 10 };
        await datasetMagic.run(inv, ctx);
        return printed.join("");
      };
      const own = await run(path.join(root, "set"));
      assert.match(own, /2 DICOM images use their own tags/);
      const pngOwn = shown
        .map((d) => d["image/png"])
        .filter(Boolean)
        .pop();
      const windowed = await run(`${path.join(root, "set")} --window 100,50`);
      assert.match(windowed, /window: C 100, W 50 \(given\) for all 3 DICOM images/);
      const pngGiven = shown
        .map((d) => d["image/png"])
        .filter(Boolean)
        .pop();
      assert.ok(pngOwn && pngGiven && pngOwn !== pngGiven, "the thumbnails change with the window");
    } finally {
      setDisplaySink(undefined);
    }
    assert.throws(
      () =>
        datasetMagic.checkArgs!({ name: "dataset", kind: "line", args: "demo --window 40", line: 3, argsColumn: 10 }),
      (e: MagicError) => e instanceof MagicError && e.line === 3 && e.column === 24 && /not a window/.test(e.message),
    );
    assert.strictEqual(
      describeWindow({ center: 40.5, width: 80, source: "percentile" }),
      "C 40.5, W 80 (p0.5–p99.5 of the data)",
    );
  });
});
