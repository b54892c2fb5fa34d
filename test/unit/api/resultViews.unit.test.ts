import * as assert from "assert";
import { setDisplaySink } from "../../../kernel/api/displaySink";
import { heatmapCasesOf, rocMethods, runsOf, singleRun, tsneInputOf } from "../../../kernel/api/resultViews";
import { show } from "../../../kernel/api/show";
import { summariseRuns } from "../../../kernel/api/compare";
import { decodeMap } from "../../../kernel/methods/resultMaps";
import type { MimeBundle } from "../../../kernel/protocol/outputs";
import { EXPLORE_MIME, type ExploreRequest } from "../../../kernel/protocol/explorer";
import {
  HEATMAP_MIME,
  ROC_MIME,
  TSNE_MIME,
  type HeatmapPayload,
  type RocPayload,
  type TsnePayload,
} from "../../../kernel/protocol/viz";
import { fakeResult } from "../../helpers/fakeResult";

describe("pictures of results (medad.show)", function () {
  this.timeout(30000); // reads demo images from disk
  const shown: MimeBundle[] = [];
  before(() => setDisplaySink((data) => shown.push(data)));
  after(() => setDisplaySink(undefined));
  beforeEach(() => (shown.length = 0));

  const grid = () => {
    const runs = [fakeResult({ seed: 0 }), fakeResult({ seed: 1 })];
    return { cells: summariseRuns(runs, ["patchcore"], [1]), runs };
  };

  it("finds the runs of a result, a compare grid or a list, and says what it got otherwise", () => {
    assert.strictEqual(runsOf(fakeResult(), "roc").length, 1);
    assert.strictEqual(runsOf(grid(), "roc").length, 2);
    assert.strictEqual(runsOf([fakeResult(), grid()], "roc").length, 3);
    assert.throws(() => runsOf(42, "roc"), /roc: expected a FewshotResult or CompareResult .* got a number/);
    assert.throws(
      () => singleRun(grid(), "tsne"),
      /tsne: this result holds 2 runs; pick one, e\.g\. compareResult\.runs\[0\]/,
    );
  });

  it("roc: one curve per run, named apart when labels repeat", () => {
    const methods = rocMethods(grid());
    assert.deepStrictEqual(
      methods.map((m) => m.name),
      ["PatchCore-style · 1-shot · seed 0", "PatchCore-style · 1-shot · seed 1"],
    );
    show.roc(fakeResult());
    const payload = shown[0][ROC_MIME] as RocPayload;
    assert.strictEqual(payload.series.length, 1);
    assert.strictEqual(payload.series[0].auroc, 1); // fakeResult scores rank every abnormal above every normal
  });

  it("tsne: points are the stored maps, else the per-level scores", () => {
    const r = fakeResult();
    const input = tsneInputOf(r);
    assert.deepStrictEqual(
      Array.from(input.features as ArrayLike<number>[]).map((f) => f.length),
      r.scores.map(() => 16),
    );
    assert.deepStrictEqual(
      Array.from((input.features as ArrayLike<number>[])[0]),
      Array.from(decodeMap(r.scores[0].map!, "x").data),
    );
    assert.match(input.title!, /t-SNE of anomaly maps/);
    const noMaps = tsneInputOf(fakeResult({ maps: false }));
    assert.deepStrictEqual((noMaps.features as number[][])[0], r.scores[0].layers.text);
    assert.match(noMaps.title!, /per-level scores/);
    show.tsne(r);
    const payload = shown[0][TSNE_MIME] as TsnePayload;
    assert.strictEqual(payload.xy.length, 2 * r.scores.length);
  });

  it("heatmap: cases over the ranking with their images, maps and masks", () => {
    const r = fakeResult({ n: 6 });
    const cases = heatmapCasesOf(r, 3);
    // Evenly over the ranking 6/6 … 1/6, both ends kept.
    assert.deepStrictEqual(
      cases.map((c) => c.score),
      [6 / 6, 3 / 6, 1 / 6],
    );
    for (const c of cases) {
      assert.ok(c.image.width > 0 && c.image.data.length === c.image.width * c.image.height * (c.image.channels ?? 1));
      assert.strictEqual(c.map.width, 4);
      assert.strictEqual(c.mask !== undefined, c.label === 1, `${c.id}: abnormal demo images have masks, normals none`);
    }
    show.heatmap(r, { cases: 2 });
    assert.strictEqual((shown[0][HEATMAP_MIME] as HeatmapPayload).cases.length, 2);
    assert.throws(
      () => heatmapCasesOf(fakeResult({ maps: false })),
      /6 of 6 images of this result have no anomaly map/,
    );
  });

  it("explore: an explore request with one method per run and a text note", () => {
    show.explore(grid(), { cases: 2 });
    const request = shown[0][EXPLORE_MIME] as ExploreRequest;
    assert.deepStrictEqual(
      request.methods.map((m) => [m.method, m.payload.cases.length]),
      [
        ["PatchCore-style · 1-shot · seed 0", 2],
        ["PatchCore-style · 1-shot · seed 1", 2],
      ],
    );
    assert.match(
      String(shown[0]["text/plain"]),
      /^Opened PatchCore-style · 1-shot · seed 0, PatchCore-style · 1-shot · seed 1 in the MedAD Results Explorer/,
    );
  });
});
