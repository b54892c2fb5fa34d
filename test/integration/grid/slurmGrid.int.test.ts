import * as assert from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { KernelClient } from "../../../kernel/client/kernelClient";
import { run } from "../kernelHarness";
import { loadCompare, medad, ROOT, SPEC_LINES, withoutClock } from "./gridHelpers";

const CLUSTER = path.join(ROOT, "scripts", "slurm", "local-cluster.sh");
const missing = ["slurmctld", "slurmd", "sbatch", "munged"].filter(
  (b) => spawnSync("sh", ["-c", `command -v ${b}`]).status !== 0,
);

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * A real one-node Slurm cluster on 127.0.0.1 (scripts/slurm/local-cluster.sh): the grid runs as an array job,
 * one task is cancelled while it runs, resubmitting runs only that cell, and the merged result equals a local
 * %%compare; then %%compare itself with `backend: slurm`.
 */
describe("medad grid on a local Slurm cluster", function () {
  this.timeout(240000);
  let tmp: string;
  let env: NodeJS.ProcessEnv;
  let started = false;

  before(function () {
    if (missing.length > 0) {
      // Only when the binaries are absent: .ci/run installs them (apt-get install slurm-wlm munge).
      console.log(`    skipped: ${missing.join(", ")} not installed (apt-get install slurm-wlm munge)`);
      this.skip();
    }
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "medad-slurm-grid-"));
    const clusterDir = path.join(tmp, "cluster");
    const out = execFileSync("bash", [CLUSTER, "start"], {
      env: { ...process.env, MEDAD_SLURM_DIR: clusterDir },
      encoding: "utf8",
      timeout: 60000,
    });
    started = true;
    const conf = /export SLURM_CONF=(\S+)/.exec(out)![1];
    env = {
      MEDAD_SLURM_DIR: clusterDir,
      SLURM_CONF: conf,
      MEDAD_CACHE: path.join(tmp, "models"),
      MEDAD_FEATURE_CACHE: path.join(tmp, "features"),
    };
  });

  after(function () {
    if (started) execFileSync("bash", [CLUSTER, "stop"], { env: { ...process.env, ...env }, timeout: 60000 });
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  const slurm = (args: string[]) =>
    execFileSync(args[0], args.slice(1), { env: { ...process.env, ...env }, encoding: "utf8" }).trim();

  it("runs the grid as an array job, survives a cancelled task, resubmits only it and merges exactly", async () => {
    fs.writeFileSync(path.join(tmp, "spec.txt"), SPEC_LINES.join("\n") + "\n");
    assert.strictEqual(medad(["grid", "plan", "spec.txt", "--out", "g"], tmp, env).code, 0);
    const dry = medad(
      ["grid", "submit", "g", "--slurm", "--throttle", "2", "--time", "00:10:00", "--dry-run"],
      tmp,
      env,
    );
    assert.match(dry.out, /^#SBATCH --array=0-3%2$/m);
    assert.match(dry.out, /^#SBATCH --time=00:10:00$/m);
    assert.match(dry.out, /grid run \S+ --index "\$SLURM_ARRAY_TASK_ID"$/m);
    const sub = medad(["grid", "submit", "g", "--slurm", "--throttle", "2"], tmp, env);
    assert.strictEqual(sub.code, 0, sub.err);
    const job = /submitted job (\d+): 4 cell/.exec(sub.out)![1];

    // Cancel the first task seen running whose result is not yet written: scancel of one array index.
    const results = path.join(tmp, "g", "results");
    const ids = (
      JSON.parse(fs.readFileSync(path.join(tmp, "g", "manifest.json"), "utf8")) as {
        cells: Array<{ id: string }>;
      }
    ).cells.map((c) => c.id);
    let killed = -1;
    for (let t = 0; t < 600 && killed < 0; t++) {
      const running = slurm(["squeue", "-h", "-r", "-j", job, "-t", "running", "-o", "%K"]).split("\n").filter(Boolean);
      const victim = running.map(Number).find((i) => !fs.existsSync(path.join(results, `${ids[i]}.json`)));
      if (victim !== undefined) {
        slurm(["scancel", `${job}_${victim}`]);
        killed = victim;
      } else await sleep(100);
    }
    assert.ok(killed >= 0, "no task was seen running");
    for (let t = 0; t < 600 && slurm(["squeue", "-h", "-r", "-j", job, "-o", "%K"]) !== ""; t++) await sleep(200);

    const status = medad(["grid", "status", "g", "--json"], tmp, env);
    assert.strictEqual(status.code, 1, "a cancelled cell makes the grid unfinished");
    const rows = JSON.parse(status.out) as Array<{ index: number; phase: string; detail: string; log?: string }>;
    assert.deepStrictEqual(
      rows.map((r) => r.phase),
      ids.map((_, i) => (i === killed ? "failed" : "done")),
      status.out,
    );
    assert.match(rows[killed].detail, /^CANCELLED/);
    assert.strictEqual(rows[killed].log, path.join(tmp, "g", "logs", `${job}_${killed}.out`));
    assert.ok(fs.existsSync(rows[killed].log!), "the cancelled task's log is where the status says");
    assert.strictEqual(medad(["grid", "merge", "g"], tmp, env).code, 1, "merge refuses an unfinished grid");

    const again = medad(["grid", "submit", "g", "--slurm"], tmp, env);
    assert.strictEqual(again.code, 0, again.err);
    const job2 = new RegExp(`submitted job (\\d+): 1 cell`).exec(again.out)![1];
    assert.match(
      fs.readFileSync(/script (\S+\.sh)/.exec(again.out)![1], "utf8"),
      new RegExp(`--array=${killed}$`, "m"),
    );
    for (let t = 0; t < 600 && slurm(["squeue", "-h", "-r", "-j", job2, "-o", "%K"]) !== ""; t++) await sleep(200);
    const merged = medad(["grid", "merge", "g", "--out", "merged.json"], tmp, env);
    assert.strictEqual(merged.code, 0, merged.err);

    const kernel = new KernelClient({ cwd: tmp, env });
    try {
      const local = await run(kernel, ["%%compare", ...SPEC_LINES].join("\n"));
      assert.strictEqual(local.status, "ok", JSON.stringify(local.errors));
      await run(kernel, `medad.saveResult(compareResult, "local.json")`);
      const viaSlurm = await run(
        kernel,
        ["%%compare", ...SPEC_LINES, "backend: slurm", "grid_dir: g2", "throttle: 2"].join("\n"),
      );
      assert.strictEqual(viaSlurm.status, "ok", JSON.stringify(viaSlurm.errors));
      assert.match(viaSlurm.text, /grid: 4\/4 done/);
      await run(kernel, `medad.saveResult(compareResult, "slurm.json")`);
    } finally {
      await kernel.shutdown();
    }
    const localResult = withoutClock(loadCompare(path.join(tmp, "local.json")));
    assert.deepStrictEqual(withoutClock(loadCompare(path.join(tmp, "merged.json"))), localResult);
    assert.deepStrictEqual(withoutClock(loadCompare(path.join(tmp, "slurm.json"))), localResult);
  });
});
