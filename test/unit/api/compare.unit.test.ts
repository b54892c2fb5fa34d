import * as assert from "assert";
import { compareTable, meanStd, summariseRuns } from "../../../kernel/api/compare";
import type { FewshotResult } from "../../../kernel/methods/result";

function result(method: string, shots: number, seed: number, image: number, pixel?: number): FewshotResult {
  return {
    method,
    shots,
    seed,
    metrics: { image: { auroc: image }, pixel: pixel === undefined ? undefined : { auroc: pixel }, perLayer: [] },
  } as unknown as FewshotResult;
}

describe("compare summaries", () => {
  it("computes mean and numpy-default (ddof 0) standard deviation", () => {
    const m = meanStd([0.5, 0.7, 0.9]);
    assert.ok(
      Math.abs(m.mean - 0.7) < 1e-12 && Math.abs(m.std - Math.sqrt((2 * 0.2 ** 2) / 3)) < 1e-12 && m.n === 3,
      JSON.stringify(m),
    );
    assert.deepStrictEqual(meanStd([NaN]), { mean: NaN, std: NaN, n: 0 });
  });

  it("groups runs by method and shots over seeds", () => {
    const runs = [
      result("a", 1, 0, 0.6, 0.7),
      result("a", 1, 1, 0.8, 0.9),
      result("b", 1, 0, 0.5),
      result("a", 2, 0, 1),
    ];
    const cells = summariseRuns(runs, ["a", "b"], [1, 2]);
    assert.deepStrictEqual(
      cells.map((c) => [c.method, c.shots, c.imageAuroc.n, c.pixelAuroc.n]),
      [
        ["a", 1, 2, 2],
        ["a", 2, 1, 0],
        ["b", 1, 1, 0],
        ["b", 2, 0, 0],
      ],
    );
    assert.ok(Math.abs(cells[0].imageAuroc.mean - 0.7) < 1e-12 && Math.abs(cells[0].imageAuroc.std - 0.1) < 1e-12);
    const table = compareTable(cells, [0, 1]);
    assert.deepStrictEqual(table.rows[0], ["a", 1, "70.00 ± 10.00", "80.00 ± 10.00", 2]);
    assert.deepStrictEqual(table.rows[3], ["b", 2, "—", "—", 0]);
  });
});
