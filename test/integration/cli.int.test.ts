import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { notebook } from "../helpers/notebookJson";

const ROOT = path.join(__dirname, "..", "..", "..");
const MEDAD = path.join(ROOT, "bin", "medad.js");

function medad(args: string[], cwd = ROOT) {
  const r = spawnSync(process.execPath, [MEDAD, ...args], { cwd, encoding: "utf8", timeout: 120000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("medad run", function () {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "medad-cli-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("executes notebooks/00-hello.ipynb and writes its outputs, leaving the input alone", () => {
    const input = path.join(ROOT, "notebooks", "00-hello.ipynb");
    const before = fs.readFileSync(input, "utf8");
    const out = path.join(dir, "hello.out.ipynb");
    const r = medad(["run", input, "--out", out]);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.strictEqual(fs.readFileSync(input, "utf8"), before);
    const nb = JSON.parse(fs.readFileSync(out, "utf8"));
    const code = nb.cells.filter((c: { cell_type: string }) => c.cell_type === "code");
    assert.deepStrictEqual(
      code.map((c: { execution_count: number }) => c.execution_count),
      [1, 2, 3, 4, 5],
    );
    const text = JSON.stringify(code.map((c: { outputs: unknown }) => c.outputs));
    assert.match(text, /Hello from MedAD Lab/);
    assert.match(text, /application\/vnd\.medad\.table\+json/);
    assert.match(text, /Wall time: /);
    assert.match(text, /%%time/);
    assert.match(r.stderr, /5 code cells ran/);
  });

  it("stops at the first failing cell, writes outputs so far and exits 1", () => {
    const input = path.join(dir, "fail.ipynb");
    fs.writeFileSync(input, notebook(["console.log('one')", "throw new Error('broken cell')", "console.log('never')"]));
    const r = medad(["run", input]);
    assert.strictEqual(r.code, 1);
    assert.match(r.stderr, /Error: broken cell/);
    assert.match(r.stderr, /cell 2 failed \(error\)/);
    const nb = JSON.parse(fs.readFileSync(path.join(dir, "fail.executed.ipynb"), "utf8"));
    assert.strictEqual(nb.cells[0].outputs[0].text.join(""), "one\n");
    assert.strictEqual(nb.cells[1].outputs[0].ename, "Error");
    assert.deepStrictEqual([nb.cells[2].execution_count, nb.cells[2].outputs], [null, []]);
  });

  it("runs every cell with --allow-errors but still exits 1", () => {
    const input = path.join(dir, "fail.ipynb");
    fs.writeFileSync(input, notebook(["throw new Error('x')", "console.log('reached')"]));
    const r = medad(["run", input, "--allow-errors"]);
    assert.strictEqual(r.code, 1);
    const nb = JSON.parse(fs.readFileSync(path.join(dir, "fail.executed.ipynb"), "utf8"));
    assert.strictEqual(nb.cells[1].outputs[0].text.join(""), "reached\n");
  });

  it("interrupts a cell that exceeds --timeout", () => {
    const input = path.join(dir, "slow.ipynb");
    fs.writeFileSync(input, notebook(["while (true) {}"]));
    const r = medad(["run", input, "--timeout", "2"]);
    assert.strictEqual(r.code, 1);
    assert.match(r.stderr, /longer than the 2 s limit/);
  });

  it("reports a kernel that dies mid-notebook", () => {
    const input = path.join(dir, "die.ipynb");
    fs.writeFileSync(input, notebook(["process.exit(7)", "1"]));
    const r = medad(["run", input]);
    assert.strictEqual(r.code, 1);
    assert.match(r.stderr, /exited with code 7/);
  });

  it("names the file when the notebook is not valid JSON", () => {
    const input = path.join(dir, "bad.ipynb");
    fs.writeFileSync(input, '{"cells": [\n');
    const r = medad(["run", input]);
    assert.strictEqual(r.code, 1);
    assert.match(
      r.stderr,
      new RegExp(`${input.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: not valid JSON \\(line 2, column 1\\)`),
    );
    assert.ok(!fs.existsSync(path.join(dir, "bad.executed.ipynb")));
  });

  it("never overwrites the input unless --inplace is given", () => {
    const input = path.join(dir, "n.ipynb");
    fs.writeFileSync(input, notebook(["40 + 2"]));
    const refused = medad(["run", input, "--out", input]);
    assert.strictEqual(refused.code, 2);
    assert.match(refused.stderr, /add --inplace/);
    assert.strictEqual(JSON.parse(fs.readFileSync(input, "utf8")).cells[0].outputs.length, 0);
    assert.strictEqual(medad(["run", input, "--inplace"]).code, 0);
    assert.strictEqual(
      JSON.parse(fs.readFileSync(input, "utf8")).cells[0].outputs[0].data["text/plain"].join(""),
      "42",
    );
  });

  it("says so when the notebook does not exist", () => {
    const r = medad(["run", path.join(dir, "missing.ipynb")]);
    assert.strictEqual(r.code, 1);
    assert.match(r.stderr, /missing\.ipynb: no such file/);
  });
});
