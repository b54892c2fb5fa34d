import * as assert from "assert";
import { canonicalJson, specHash } from "../../../kernel/grid/canonical";
import { planGrid } from "../../../kernel/grid/manifest";
import { arrayRange, sbatchScript } from "../../../kernel/grid/slurm";
import { gridCells, type GridSpec } from "../../../kernel/grid/spec";
import { compareOptionsFromBody } from "../../../kernel/magics/ml/compare";
import { MagicError } from "../../../kernel/magics/errors";

const spec = (over: Partial<GridSpec["common"]> = {}): GridSpec => ({
  methods: ["zero-shot", "patchcore"],
  shots: [1, 2],
  seeds: [0, 1, 2],
  common: { dataset: "/data/demo", model: "medad/demo-tiny-clip", maxTestImages: 6, ...over },
});

describe("grid: cells and ids", () => {
  it("canonical JSON ignores key order and undefined members", () => {
    assert.strictEqual(canonicalJson({ b: 1, a: [{ y: 2, x: undefined, z: 1 }] }), '{"a":[{"y":2,"z":1}],"b":1}');
    assert.strictEqual(specHash({ a: 1, b: 2 }), specHash({ b: 2, a: 1 }));
    assert.notStrictEqual(specHash({ a: 1 }), specHash({ a: 2 }));
  });

  it("lists cells in %%compare's order (method, shots, seed) with ids that only the run's options change", () => {
    const cells = gridCells(spec());
    assert.deepStrictEqual(
      cells.slice(0, 4).map((c) => `${c.index}:${c.method}/${c.shots}/${c.seed}`),
      ["0:zero-shot/1/0", "1:zero-shot/1/1", "2:zero-shot/1/2", "3:zero-shot/2/0"],
    );
    assert.strictEqual(cells.length, 12);
    assert.strictEqual(new Set(cells.map((c) => c.id)).size, 12);
    // Where the feature cache lives cannot change a result, so it does not change an id.
    assert.deepStrictEqual(
      gridCells(spec({ featureCache: "/scratch/fc" })).map((c) => c.id),
      cells.map((c) => c.id),
    );
    assert.strictEqual(gridCells(spec({ featureCache: "/scratch/fc" }))[0].params.featureCache, "/scratch/fc");
    assert.notStrictEqual(gridCells(spec({ maxTestImages: 8 }))[0].id, cells[0].id);
    // A smaller grid that shares a run shares its id: finished results carry over.
    const one = gridCells({ ...spec(), methods: ["patchcore"], seeds: [2] });
    assert.strictEqual(one[0].id, cells.find((c) => c.method === "patchcore" && c.shots === 1 && c.seed === 2)!.id);
    assert.throws(() => gridCells({ ...spec(), seeds: [] }), /at least one method, one shot count and one seed/);
    assert.throws(() => gridCells({ ...spec(), seeds: [1, 1] }), /listed twice/);
  });
});

describe("grid: sbatch array script", () => {
  it("compresses indices into ranges with the throttle", () => {
    assert.strictEqual(arrayRange([7, 0, 1, 2, 3, 5, 8]), "0-3,5,7-8");
    assert.strictEqual(arrayRange([4], 2), "4%2");
  });

  it("writes one task per cell with the options as #SBATCH lines", () => {
    const manifest = planGrid(spec());
    const text = sbatchScript("/shared/g", manifest, [0, 1, 2, 5], {
      partition: "gpu",
      gpus: 1,
      cpus: 4,
      time: "00:30:00",
      mem: "16G",
      throttle: 3,
      extra: ["--qos=short"],
      node: "/opt/node/bin/node",
    });
    for (const line of [
      "#SBATCH --array=0-2,5%3",
      "#SBATCH --output=/shared/g/logs/%A_%a.out",
      "#SBATCH --partition=gpu",
      "#SBATCH --gres=gpu:1",
      "#SBATCH --cpus-per-task=4",
      "#SBATCH --time=00:30:00",
      "#SBATCH --mem=16G",
      "#SBATCH --qos=short",
    ])
      assert.ok(text.split("\n").includes(line), `${line} missing from\n${text}`);
    assert.match(
      text,
      /^exec \/opt\/node\/bin\/node \S+\/bin\/medad\.js grid run \/shared\/g --index "\$SLURM_ARRAY_TASK_ID"$/m,
    );
    assert.throws(() => sbatchScript("/g", manifest, []), /no cells/);
  });
});

describe("%%compare backend keys", () => {
  const body = (...lines: string[]) =>
    ["methods: [zero-shot]", "shots: [1]", "seeds: [0]", "model: m", ...lines].join("\n");
  it("reads backend, parallel and the Slurm settings", () => {
    assert.strictEqual(compareOptionsFromBody(body("parallel: 3"), 2).parallel, 3);
    const o = compareOptionsFromBody(body("backend: slurm", "partition: gpu", "gpus: 2", "throttle: 4"), 2);
    assert.strictEqual(o.backend, "slurm");
    assert.deepStrictEqual(
      { partition: o.slurm!.partition, gpus: o.slurm!.gpus, throttle: o.slurm!.throttle },
      { partition: "gpu", gpus: 2, throttle: 4 },
    );
  });
  it("points at a Slurm setting given without backend: slurm, and at parallel with it", () => {
    assert.throws(
      () => compareOptionsFromBody(body("partition: gpu"), 2),
      (e: unknown) => e instanceof MagicError && e.line === 6 && /only the slurm backend/.test(e.message),
    );
    assert.throws(
      () => compareOptionsFromBody(body("backend: slurm", "parallel: 2"), 2),
      (e: unknown) => e instanceof MagicError && e.line === 7,
    );
  });
});
