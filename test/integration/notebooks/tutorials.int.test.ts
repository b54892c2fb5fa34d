// Every tutorial in notebooks/ runs headless with `medad run`, as a user would run it, and no cell may fail. A
// notebook whose defaults need real weights/data declares CI stand-ins in `metadata.medad.ciParameters`; they are
// passed as `--param name=value`. Caches go to a fresh temp folder, so the demo model is generated as on a clone.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.join(__dirname, "..", "..", "..", "..");
const MEDAD = path.join(ROOT, "bin", "medad.js");
const NOTEBOOKS = path.join(ROOT, "notebooks");
const ARTIFACTS = path.join(ROOT, "test-artifacts", "notebooks");

interface Nb {
  metadata: { medad?: { ciParameters?: Record<string, unknown> } };
  cells: { cell_type: string; outputs?: { output_type: string; ename?: string; evalue?: string }[] }[];
}

const tutorials = fs.readdirSync(NOTEBOOKS).filter((f) => f.endsWith(".ipynb") && !f.endsWith(".executed.ipynb")).sort();

describe("tutorials: every notebooks/*.ipynb runs headless without a cell error", function () {
  this.timeout(15 * 60 * 1000);
  let cache: string;
  before(() => {
    cache = fs.mkdtempSync(path.join(os.tmpdir(), "medad-tutorials-"));
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  });
  after(() => fs.rmSync(cache, { recursive: true, force: true }));

  it("finds the tutorials", () => {
    assert.ok(tutorials.includes("01-quickstart.ipynb"), `notebooks/ holds ${tutorials.join(", ")}`);
  });

  for (const file of tutorials) {
    it(file, () => {
      const input = path.join(NOTEBOOKS, file);
      const nb = JSON.parse(fs.readFileSync(input, "utf8")) as Nb;
      const params = Object.entries(nb.metadata.medad?.ciParameters ?? {}).flatMap(([k, v]) => ["--param", `${k}=${JSON.stringify(v)}`]);
      const out = path.join(ARTIFACTS, file.replace(/\.ipynb$/, ".executed.ipynb"));
      const started = Date.now();
      const r = spawnSync(process.execPath, [MEDAD, "run", input, "--out", out, ...params], {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, MEDAD_CACHE: path.join(cache, "models"), MEDAD_FEATURE_CACHE: path.join(cache, "features") },
        timeout: 14 * 60 * 1000,
      });
      process.stderr.write(`      ${file}: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
      assert.strictEqual(r.status, 0, `medad run ${file} exited ${r.status}:\n${r.stderr.slice(-4000)}`);
      const executed = JSON.parse(fs.readFileSync(out, "utf8")) as Nb;
      const code = executed.cells.filter((c) => c.cell_type === "code");
      const errors = code.flatMap((c) => (c.outputs ?? []).filter((o) => o.output_type === "error").map((o) => `${o.ename}: ${o.evalue}`));
      assert.deepStrictEqual(errors, []);
      assert.ok(code.every((c) => (c as { execution_count?: number | null }).execution_count !== null || (c as { source?: unknown }).source === ""), "a code cell did not run");
    });
  }
});
