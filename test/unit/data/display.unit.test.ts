import * as assert from "assert";
import * as path from "path";
import { PNG } from "pngjs";
import { datasetSummaryDisplay } from "../../../kernel/data/display/datasetSummaryDisplay";
import { loadDataset } from "../../../kernel/data/loadDataset";
import { mvfaTree, rmTree, tempDir } from "../../helpers/tempTree";

describe("dataset display", () => {
  let root: string;
  beforeEach(() => (root = tempDir()));
  afterEach(() => rmTree(root));

  it("builds the summary table and a PNG sheet with green/red frames and a red mask outline", () => {
    const ds = loadDataset(mvfaTree(root, "Brain_AD", 32));
    const d = datasetSummaryDisplay(ds, { perRow: 2, tile: 32 });
    assert.deepStrictEqual(d.table.columns, ["category", "split", "normal", "abnormal", "unlabelled", "masks"]);
    assert.deepStrictEqual(d.table.rows, [["Brain", "valid", 2, 2, 0, 2], ["Brain", "test", 2, 2, 0, 2]]);
    assert.match(d.table.title ?? "", /^Brain_AD \(mvfa\): 8 images, 32x32 \(8\)/);
    const png = PNG.sync.read(Buffer.from(d.png));
    // 4 px gap + 2 tiles of (32 + 2*2 frame + 4 gap)
    assert.strictEqual(png.width, 4 + 2 * 40);
    assert.strictEqual(png.height, 4 + 2 * 40);
    const at = (x: number, y: number) => Array.from(png.data.subarray((y * png.width + x) * 4, (y * png.width + x) * 4 + 3));
    assert.deepStrictEqual(at(4, 4), [40, 170, 80], "normal row framed green");
    assert.deepStrictEqual(at(4, 44), [220, 40, 40], "abnormal row framed red");
    // The 3x3 mask square at (2..4) of an 32x32 image scales to 32/32 = itself: its corner is an outline pixel.
    assert.deepStrictEqual(at(4 + 2 + 2, 44 + 2 + 2), [255, 0, 0]);
    assert.notDeepStrictEqual(at(4 + 2 + 3, 44 + 2 + 3), [255, 0, 0], "the mask interior is not painted");
  });

  it("renders the demo set deterministically", () => {
    const ds = loadDataset(path.resolve(__dirname, "../../../../data/demo-brainmri"));
    const a = datasetSummaryDisplay(ds);
    const b = datasetSummaryDisplay(ds);
    assert.ok(Buffer.from(a.png).equals(Buffer.from(b.png)));
    assert.strictEqual(PNG.sync.read(Buffer.from(a.png)).width, 4 + 8 * 104);
  });
});
