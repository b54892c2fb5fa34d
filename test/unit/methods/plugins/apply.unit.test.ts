// How the plug-ins enter the shared scoring path: method names (ccb-tsc, <method>+ccb/+tsc), option merging and
// validation, pluginBranches (CCB on levels, TSC-patches on branch levels, node features), and TSC-samples inside
// evaluate() (scores replaced, the score before TSC kept, missing node features refused).
import * as assert from "assert";
import { memoryLevelMap, type LevelScores } from "../../../../kernel/methods/branches";
import { evaluate } from "../../../../kernel/methods/evaluate";
import {
  checkApplied,
  checkSupported,
  nodeFeature,
  pluginBranches,
  pluginTokens,
  resolvePlugins,
} from "../../../../kernel/methods/plugins/apply";
import { isPluggedMethodName, mergePlugins, parseMethodName } from "../../../../kernel/methods/plugins/methodName";
import { pluginsRecord } from "../../../../kernel/methods/plugins/record";
import { calibrateSamples, resolveTsc, topMean } from "../../../../kernel/methods/plugins/tsc";
import type { BranchScores, ScoredSet } from "../../../../kernel/methods/result";

const G = 3;
const DIM = 4;
const SIZE = 6;

/** Tokens [1 + G², DIM]: CLS then patches, deterministic values. */
function tokens(seed: number): Float32Array {
  return Float32Array.from(
    { length: (G * G + 1) * DIM },
    (_, i) => Math.sin(seed * 13 + i * 0.7) + (i % DIM === seed % DIM ? 1 : 0),
  );
}

/** A "memory" branch whose patch grid is the first feature column of each patch (so CCB changes it). */
function firstColumnBranch(levels: Float32Array[]): BranchScores[] {
  const lv: LevelScores[] = levels.map((t) => {
    const grid = Float64Array.from(
      { length: G * G },
      (_, p) => t[(p + 1) * DIM] / Math.hypot(...t.subarray((p + 1) * DIM, (p + 2) * DIM)),
    );
    return { grid, g: G, image: grid.reduce((a, b) => a + b, 0) / grid.length };
  });
  return [{ name: "memory", levels: lv, render: memoryLevelMap, image: lv.reduce((s, l) => s + l.image, 0) }];
}

describe("methods/plugins/apply: plug-ins in the shared scoring path", () => {
  it("method names: ccb-tsc = base (default mvfa) + both modules; <method>+ccb/+tsc; bad names refused", () => {
    assert.deepStrictEqual(parseMethodName("ccb-tsc"), { base: "mvfa", plugins: { ccb: true, tsc: true } });
    assert.deepStrictEqual(parseMethodName("ccb-tsc", "patchcore").base, "patchcore");
    assert.deepStrictEqual(parseMethodName("mvfa+tsc"), { base: "mvfa", plugins: { tsc: true } });
    assert.deepStrictEqual(parseMethodName("patchcore+ccb+tsc"), {
      base: "patchcore",
      plugins: { ccb: true, tsc: true },
    });
    assert.deepStrictEqual(parseMethodName("zero-shot"), { base: "zero-shot", plugins: {} });
    assert.deepStrictEqual(
      parseMethodName("winclip++"),
      { base: "winclip++", plugins: {} },
      "left whole, so the error names it",
    );
    assert.throws(
      () => parseMethodName("mvfa+foo"),
      /method 'mvfa\+foo': '\+foo' is not a plug-in \(available: \+ccb, \+tsc\)/,
    );
    assert.throws(() => parseMethodName("ccb-tsc", "ccb-tsc"), /options\.base must be a plain method name/);
    assert.ok(isPluggedMethodName("mvfa+ccb", ["mvfa", "ccb-tsc"]));
    assert.ok(isPluggedMethodName("ccb-tsc", ["mvfa", "ccb-tsc"]));
    assert.ok(!isPluggedMethodName("nope+ccb", ["mvfa"]));
    assert.ok(!isPluggedMethodName("mvfa+x", ["mvfa"]));
  });

  it("explicit plugins override the name's modules one by one; unknown modules are refused", () => {
    assert.deepStrictEqual(mergePlugins({ ccb: true, tsc: true }, { tsc: { alpha: 0.3 } }), {
      ccb: true,
      tsc: { alpha: 0.3 },
    });
    assert.deepStrictEqual(mergePlugins({ ccb: true, tsc: true }, { ccb: false }), { ccb: false, tsc: true });
    assert.strictEqual(mergePlugins({}, undefined), undefined);
    const p = resolvePlugins({ ccb: false, tsc: true }, 4)!;
    assert.strictEqual(p.ccb, undefined);
    assert.strictEqual(p.tsc!.mode, "samples");
    assert.strictEqual(resolvePlugins({ ccb: false }, 0), undefined);
    assert.throws(
      () => resolvePlugins({ ccb: true, foo: true } as never, 0),
      /plugins: unknown module 'foo' \(available: ccb, tsc\)/,
    );
  });

  it("without plug-ins the branches and tokens pass through untouched", async () => {
    const lv = [tokens(1), tokens(2)];
    assert.strictEqual(pluginTokens(undefined, lv, { dim: DIM, grid: G }, "a.png"), lv);
    const direct = firstColumnBranch(lv);
    const plugged = await pluginBranches(undefined, lv, { dim: DIM, grid: G, size: SIZE }, "a.png", firstColumnBranch);
    assert.deepStrictEqual(
      plugged.branches.map((b) => b.image),
      direct.map((b) => b.image),
    );
    assert.strictEqual(plugged.node, undefined);
  });

  it("CCB with β = 0 gives exactly the method's scores; β > 0 changes them and counts the image", async () => {
    const lv = [tokens(1), tokens(2)];
    const direct = firstColumnBranch(lv);
    const zero = resolvePlugins({ ccb: { beta: 0 } }, 0)!;
    const same = await pluginBranches(zero, lv, { dim: DIM, grid: G, size: SIZE }, "a.png", firstColumnBranch);
    assert.deepStrictEqual(
      same.branches[0].levels.map((l) => Array.from(l.grid)),
      direct[0].levels.map((l) => Array.from(l.grid)),
    );
    const on = resolvePlugins({ ccb: true }, 0)!;
    const changed = await pluginBranches(on, lv, { dim: DIM, grid: G, size: SIZE }, "a.png", firstColumnBranch);
    assert.notDeepStrictEqual(Array.from(changed.branches[0].levels[0].grid), Array.from(direct[0].levels[0].grid));
    assert.strictEqual(on.applied.ccbImages, 1);
    assert.doesNotThrow(() => checkApplied("x", on));
  });

  it("TSC-patches propagates each level's grid and scores it by the top fraction of its map; TSC-samples gives a node", async () => {
    const lv = [tokens(3)];
    const p = resolvePlugins({ tsc: { mode: "patches", topFraction: 0.1 } }, 0)!;
    const out = await pluginBranches(p, lv, { dim: DIM, grid: G, size: SIZE }, "b.png", firstColumnBranch);
    const level = out.branches[0].levels[0];
    assert.notDeepStrictEqual(Array.from(level.grid), Array.from(firstColumnBranch(lv)[0].levels[0].grid));
    assert.strictEqual(level.image, topMean(memoryLevelMap(level, SIZE), 0.1));
    assert.strictEqual(out.branches[0].image, level.image);
    assert.strictEqual(p.applied.tscPatchImages, 1);
    const s = resolvePlugins({ tsc: true }, 0)!;
    const node = (await pluginBranches(s, lv, { dim: DIM, grid: G, size: SIZE }, "b.png", firstColumnBranch)).node!;
    assert.deepStrictEqual(node, nodeFeature(lv[0], DIM, "patch-mean"));
    close1(Math.hypot(...node));
  });

  it("a module the method never applied, or one it cannot take, is an error naming the method and the module", () => {
    assert.throws(
      () => checkApplied("madclip", resolvePlugins({ ccb: true }, 0)),
      /method 'madclip' does not support the CCB plug-in/,
    );
    assert.throws(
      () => checkApplied("m", resolvePlugins({ tsc: { mode: "patches" } }, 0)),
      /method 'm' does not support the TSC-patches plug-in/,
    );
    assert.doesNotThrow(() => checkApplied("m", resolvePlugins({ tsc: true }, 0)));
    assert.throws(
      () => checkSupported("madclip", resolvePlugins({ ccb: true }, 0)),
      /method 'madclip' cannot take the CCB plug-in: MadCLIP's patch features/,
    );
    assert.throws(
      () => checkSupported("madclip", resolvePlugins({ tsc: { mode: "patches" } }, 0)),
      /cannot take the TSC-patches plug-in/,
    );
    assert.doesNotThrow(() => checkSupported("madclip", resolvePlugins({ tsc: true }, 0)));
  });

  describe("TSC-samples in evaluate()", () => {
    function set(withNodes: boolean): ScoredSet {
      const images = [0, 1, 2, 3, 4, 5].map((i) => {
        const grid = new Float64Array(G * G).fill(i % 2 ? 0.2 + 0.01 * i : 0.1 * i);
        const lv: LevelScores = { grid, g: G, image: grid[0] };
        const node = Float32Array.from(i % 2 ? [1, 0.05 * i] : [0.05 * i, 1]);
        return {
          file: `img${i}.png`,
          label: (i % 2) as 0 | 1,
          branches: [{ name: "memory", levels: [lv], render: memoryLevelMap, image: lv.image }],
          ...(withNodes
            ? { node: Float32Array.from(nodeFeature(Float32Array.from([0, 0, ...node]), 2, "patch-mean")) }
            : {}),
        };
      });
      return { mapSize: SIZE, taps: [1], images };
    }

    it("replaces the fused scores by the propagated ones, keeps the score before TSC and reports the run", () => {
      const tsc = resolveTsc({ k: 2 })!;
      const plain = evaluate(set(true), { protocol: "honest", imageScore: "branches", pixel: false });
      const ev = evaluate(set(true), { protocol: "honest", imageScore: "branches", pixel: false, tsc });
      assert.deepStrictEqual(
        ev.scores.map((s) => s.beforeTsc),
        plain.scores.map((s) => s.score),
      );
      const nodes = Float64Array.from(set(true).images.flatMap((im) => Array.from(im.node!)));
      const want = calibrateSamples(
        plain.scores.map((s) => s.score),
        nodes,
        2,
        tsc,
      ).scores;
      assert.deepStrictEqual(
        ev.scores.map((s) => s.score),
        Array.from(want),
      );
      assert.deepStrictEqual({ nodes: ev.tsc!.nodes, k: ev.tsc!.k }, { nodes: 6, k: 2 });
      const rec = pluginsRecord(resolvePlugins({ tsc: { k: 2 } }, 0)!, ev.tsc, "mvfa");
      assert.strictEqual(rec.transductive, true);
      assert.match(rec.note, /transductive/);
      assert.ok(!("topFraction" in rec.tsc!));
    });

    it("refuses test images without node features", () => {
      assert.throws(
        () => evaluate(set(false), { protocol: "honest", imageScore: "branches", pixel: false, tsc: resolveTsc(true) }),
        /tsc: test image img0\.png has no node feature/,
      );
    });
  });
});

function close1(x: number): void {
  assert.ok(Math.abs(x - 1) < 1e-6, `${x} is not 1`);
}
