// Fault suite, `medad run`: the output path is checked before any cell runs; a write that fails at the end
// (full disk) saves the outputs to a fallback file; a kernel killed with SIGKILL and a SIGINT keep the outputs
// so far; a notebook path that is a folder says what to give instead.
import * as assert from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { exited, fillDisk, medad, mountTmpfs, notebook, ROOT, STACK_FRAME, waitFor } from "./faultHelpers";
import { observed } from "./faultTable";

describe("faults: medad run", function () {
  this.timeout(120_000);
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "medad-faults-run-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A notebook whose first cell leaves a marker file, so a test can tell whether any cell ran. */
  const withMarker = (cells: string[]) => {
    const input = path.join(dir, "nb.ipynb");
    const marker = path.join(dir, "ran");
    fs.writeFileSync(input, notebook([`require("fs").writeFileSync(${JSON.stringify(marker)}, "x")`, ...cells]));
    return { input, marker };
  };

  it("--out that is a folder is refused before any cell runs", () => {
    const { input, marker } = withMarker([]);
    const out = path.join(dir, "outdir");
    fs.mkdirSync(out);
    const r = medad(["run", input, "--out", out]);
    assert.strictEqual(r.code, 1);
    assert.match(r.stderr, new RegExp(`--out ${out} is a folder; give a file path, e.g. --out ${out}/executed.ipynb`));
    assert.ok(!fs.existsSync(marker), "no cell ran");
    assert.doesNotMatch(r.stderr, STACK_FRAME);
    observed("run", "--out is a folder", "refused before running, names the fix", r.stderr.trim());
  });

  it("--out on a full disk is refused before running; a disk that fills during the run gets a fallback file", function () {
    const mnt = path.join(dir, "mnt");
    const unmount = mountTmpfs(mnt, "2m");
    if (!unmount) return this.skip(); // needs root and tmpfs
    try {
      const { input, marker } = withMarker(["console.log('y'.repeat(3_000_000))"]);
      // 2 MiB free at the start: accepted; the 3 MB output then does not fit.
      const late = medad(["run", input, "--out", path.join(mnt, "out.ipynb")], { env: { TMPDIR: dir } });
      assert.strictEqual(late.code, 1, late.stderr);
      assert.match(late.stderr, /out\.ipynb: cannot write it \(ENOSPC.*The disk is full/);
      const saved = /saved to (\S+\.unsaved-[-0-9TZ]+\.ipynb) instead/.exec(late.stderr);
      assert.ok(saved, late.stderr);
      assert.strictEqual(path.dirname(saved[1]), dir, "the fallback went to the temp folder (the disk was full)");
      assert.match(fs.readFileSync(saved[1], "utf8"), /y{1000}/, "the fallback holds the outputs");
      assert.deepStrictEqual(fs.readdirSync(mnt), [], "no partial file on the full disk");

      fs.rmSync(marker);
      fillDisk(mnt, 64 * 1024);
      const early = medad(["run", input, "--out", path.join(mnt, "out.ipynb")]);
      assert.strictEqual(early.code, 1);
      assert.match(early.stderr, /the disk of --out \(.*mnt\) has only \d+ bytes free\. The disk is full/);
      assert.ok(!fs.existsSync(marker), "no cell ran");
      observed(
        "disk",
        "notebook output on a full disk",
        "refused before running when full; outputs saved to a fallback when the disk fills during the run",
        `${path.basename(saved[1])} written with all outputs; a full disk at the start refused before any cell`,
      );
    } finally {
      unmount();
    }
  });

  it("a notebook path that is a folder names the fix", () => {
    fs.writeFileSync(path.join(dir, "a.ipynb"), notebook(["1"]));
    const r = medad(["run", dir]);
    assert.strictEqual(r.code, 1);
    assert.match(r.stderr, /is a folder, not a notebook; give the path of a \.ipynb file in it, e\.g\. a\.ipynb/);
    observed("run", "notebook path is a folder (EISDIR)", "names the fix", r.stderr.trim());
  });

  it("kill -9 of the kernel mid-notebook keeps the outputs so far", () => {
    const input = path.join(dir, "die.ipynb");
    fs.writeFileSync(input, notebook(["console.log('before the kill')", "process.kill(process.pid, 'SIGKILL')", "1"]));
    const out = path.join(dir, "die.out.ipynb");
    const r = medad(["run", input, "--out", out]);
    assert.strictEqual(r.code, 1);
    assert.match(r.stderr, /SIGKILL/);
    assert.match(fs.readFileSync(out, "utf8"), /before the kill/);
    observed(
      "run",
      "kill -9 kernel during medad run",
      "exit 1, says so, outputs so far written",
      `outputs of cell 1 written; ${r.stderr
        .split("\n")
        .find((l) => /SIGKILL/.test(l) && !l.startsWith("["))
        ?.trim()}`,
    );
  });

  it("SIGINT stops the running cell and writes the outputs so far", async () => {
    const input = path.join(dir, "slow.ipynb");
    fs.writeFileSync(input, notebook(["console.log('first')", "await new Promise((r) => setTimeout(r, 60000))"]));
    const out = path.join(dir, "slow.out.ipynb");
    const child = spawn(process.execPath, [path.join(ROOT, "bin", "medad.js"), "run", input, "--out", out], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr!.on("data", (d) => (stderr += d));
    try {
      await waitFor(() => /\[2\/2\]/.test(stderr), 60_000, "the second cell to start");
      await new Promise((r) => setTimeout(r, 300));
      const t0 = Date.now();
      child.kill("SIGINT");
      const end = await exited(child);
      const ms = Date.now() - t0;
      assert.strictEqual(end.code, 130, stderr);
      assert.match(stderr, /interrupted; outputs so far written to/);
      assert.match(fs.readFileSync(out, "utf8"), /first/);
      observed("run", "SIGINT during a cell", "exit 130, outputs so far written", `stopped in ${ms} ms`);
    } finally {
      child.kill("SIGKILL");
    }
  });
});
