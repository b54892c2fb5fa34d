import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { KernelClient } from "../../../kernel/client/kernelClient";
import { run } from "../kernelHarness";
import { loadCompare, medad, SPEC_LINES, withoutClock } from "./gridHelpers";

function shownTable(r: Awaited<ReturnType<typeof run>>): unknown {
  const shown = r.outputs.filter((o) => o.kind === "display" && o.data["application/vnd.medad.table+json"]);
  return (shown[shown.length - 1] as { data: Record<string, unknown> }).data["application/vnd.medad.table+json"];
}

describe("medad grid plan / run / merge", function () {
  this.timeout(180000);
  let tmp: string;
  let env: NodeJS.ProcessEnv;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "medad-grid-"));
    env = { MEDAD_CACHE: path.join(tmp, "models"), MEDAD_FEATURE_CACHE: path.join(tmp, "features") };
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("merges to exactly the table and CompareResult of an in-process %%compare (also with parallel: 2)", async () => {
    fs.writeFileSync(path.join(tmp, "spec.txt"), SPEC_LINES.join("\n") + "\n");
    const plan = medad(["grid", "plan", "spec.txt", "--out", "g"], tmp, env);
    assert.strictEqual(plan.code, 0, plan.err);
    const ids = [...plan.out.matchAll(/^\s+\d+\s+([0-9a-f]{16})\s/gm)].map((m) => m[1]);
    assert.strictEqual(ids.length, 4, plan.out);
    // Planning again, from a JSON spec with keys in another order, gives the same cell ids.
    const json = Object.fromEntries(
      SPEC_LINES.map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 1).trim()]).reverse(),
    );
    for (const k of ["methods", "shots", "seeds"]) json[k] = json[k].slice(1, -1).split(", ");
    fs.writeFileSync(path.join(tmp, "spec.json"), JSON.stringify(json));
    const again = medad(["grid", "plan", "spec.json", "--out", "g2"], tmp, env);
    assert.strictEqual(again.code, 0, again.err);
    assert.deepStrictEqual(
      [...again.out.matchAll(/^\s+\d+\s+([0-9a-f]{16})\s/gm)].map((m) => m[1]),
      ids,
    );

    for (const i of [2, 0, 3, 1]) {
      const r = medad(["grid", "run", "g", "--index", String(i)], tmp, env);
      assert.strictEqual(r.code, 0, r.err);
      assert.match(r.out, new RegExp(`cell ${i} \\(${ids[i]}.*image AUROC`));
    }
    const skipped = medad(["grid", "run", "g", "--cell", ids[1]], tmp, { ...env });
    assert.match(skipped.out, /already done, skipped/);
    const merged = medad(["grid", "merge", "g", "--out", "merged.json"], tmp, env);
    assert.strictEqual(merged.code, 0, merged.err);

    const kernel = new KernelClient({ cwd: tmp, env });
    try {
      for (const [extra, file] of [
        [[], "inproc.json"],
        [["parallel: 2"], "parallel.json"],
      ] as const) {
        const r = await run(kernel, ["%%compare", ...SPEC_LINES, ...extra].join("\n"));
        assert.strictEqual(r.status, "ok", JSON.stringify(r.errors));
        const saved = await run(kernel, `medad.saveResult(compareResult, ${JSON.stringify(file)}).file`);
        assert.strictEqual(saved.status, "ok", JSON.stringify(saved.errors));
        const inproc = loadCompare(path.join(tmp, file));
        const fromGrid = loadCompare(path.join(tmp, "merged.json"));
        assert.deepStrictEqual(withoutClock(fromGrid), withoutClock(inproc), `${file} differs from the merged grid`);
        assert.ok(merged.out.includes((shownTable(r) as { title: string }).title));
        const rows = (shownTable(r) as { rows: unknown[][] }).rows.map((row) => row.join(" "));
        for (const row of rows) assert.ok(merged.out.replace(/\s+/g, " ").includes(row), `${row} not in ${merged.out}`);
      }
    } finally {
      await kernel.shutdown();
    }
  });

  it("names the file, line and fix for a bad spec, and lists missing cells on merge", () => {
    fs.writeFileSync(path.join(tmp, "bad.txt"), "methods: [zero-shot]\nshot: [1]\nseeds: [0]\nmodel: x\n");
    const bad = medad(["grid", "plan", "bad.txt"], tmp, env);
    assert.strictEqual(bad.code, 1);
    assert.match(bad.err, /bad\.txt: line 2, column 1: unknown key 'shot'\. Did you mean 'shots'\?/);
    const merge = medad(["grid", "merge", "g2"], tmp, env);
    assert.strictEqual(merge.code, 1);
    assert.match(merge.err, /4 of 4 cells have no current result: 0 \(/);
  });
});
