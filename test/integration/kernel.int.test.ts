import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { KernelClient } from "../../kernel/client/kernelClient";
import { run } from "./kernelHarness";

describe("kernel process", function () {
  let kernel: KernelClient;
  let dir: string;
  const logs: string[] = [];

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "medad-kernel-"));
    kernel = new KernelClient({ cwd: dir, log: (l) => logs.push(l) });
    await kernel.start();
  });

  after(async () => {
    await kernel.shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("executes TypeScript and shows the last expression", async () => {
    const r = await run(kernel, "const x: number = 40; let y = x + 2; y");
    assert.strictEqual(r.status, "ok");
    assert.strictEqual(r.text, "42\n");
  });

  it("keeps state across cells, including redeclared variables", async () => {
    assert.strictEqual((await run(kernel, "y * 2")).text, "84\n");
    await run(kernel, "let y = 'now a string';");
    assert.strictEqual((await run(kernel, "y.toUpperCase()")).text, "NOW A STRING\n");
    // tslab alone misses earlier cells' variables in shorthand properties.
    assert.strictEqual((await run(kernel, "JSON.stringify({ y })")).text, '{"y":"now a string"}\n');
  });

  it("supports top-level await", async () => {
    const r = await run(kernel, "const v = await new Promise<number>((r) => setTimeout(() => r(7), 50)); v + 1");
    assert.strictEqual(r.text, "8\n");
  });

  it("runs in the working folder it was given", async () => {
    assert.strictEqual(fs.realpathSync((await run(kernel, "process.cwd()")).text.trim()), fs.realpathSync(dir));
  });

  it("streams stdout while the cell is still running", async () => {
    const started = performance.now();
    const r = await run(
      kernel,
      "console.log('first'); await new Promise((r) => setTimeout(r, 800)); console.log('second');",
    );
    assert.strictEqual(r.text, "first\nsecond\n");
    // 'first' must arrive long before the cell ends: it is sent as it is written, not at the end.
    assert.ok(
      r.arrivals[0] - started < r.durationMs - 400,
      `first chunk after ${(r.arrivals[0] - started).toFixed(0)} ms of ${r.durationMs.toFixed(0)} ms`,
    );
  });

  it("captures stderr separately", async () => {
    const r = await run(kernel, "console.error('warn!'); console.log('fine')");
    assert.deepStrictEqual(
      r.outputs.map((o) => (o.kind === "stream" ? [o.name, o.text] : o.kind)),
      [
        ["stderr", "warn!\n"],
        ["stdout", "fine\n"],
      ],
    );
  });

  it("turns medad.display and tslab.display into MIME bundles", async () => {
    const r = await run(
      kernel,
      "medad.display.table({ columns: ['k'], rows: [[4]] });\nimport * as tslab from 'tslab';\ntslab.display.html('<i>x</i>');\nmedad.display.png(new Uint8Array([137, 80, 78, 71]));",
    );
    assert.strictEqual(r.status, "ok");
    const displays = r.outputs.filter((o) => o.kind === "display").map((o) => (o.kind === "display" ? o.data : {}));
    assert.deepStrictEqual(displays[0]["application/vnd.medad.table+json"], { columns: ["k"], rows: [[4]] });
    assert.strictEqual(displays[1]["text/html"], "<i>x</i>");
    assert.strictEqual(displays[2]["image/png"], Buffer.from([137, 80, 78, 71]).toString("base64"));
  });

  it("updates a display in place", async () => {
    const r = await run(
      kernel,
      "const h = medad.displayHandle(); h.text('10%'); console.log('working'); h.text('100%');",
    );
    assert.deepStrictEqual(
      r.outputs.map((o) => (o.kind === "display" ? o.data["text/plain"] : o.kind)),
      ["100%", "stream"],
    );
  });

  it("reports type errors with the cell's line and column", async () => {
    const r = await run(kernel, "%pwd\nconst ok = 1;\nconst bad: string = ok;");
    assert.strictEqual(r.status, "error");
    assert.strictEqual(r.errors[0].ename, "TypeScriptError");
    assert.deepStrictEqual(r.errors[0].traceback, [
      "line 3, column 7: Type 'number' is not assignable to type 'string'.",
    ]);
  });

  it("reports a thrown error with its name, message and the cell's frames only", async () => {
    const r = await run(kernel, "function deep() { throw new RangeError('too far'); }\ndeep();");
    assert.strictEqual(r.status, "error");
    assert.strictEqual(r.errors[0].ename, "RangeError");
    assert.strictEqual(r.errors[0].evalue, "too far");
    assert.ok(r.errors[0].traceback.some((l) => /at deep/.test(l)));
    assert.ok(!r.errors[0].traceback.some((l) => /tslab|node:vm/.test(l)), r.errors[0].traceback.join("\n"));
    assert.strictEqual((await run(kernel, "y.length")).status, "ok", "state survives a failing cell");
  });

  it("interrupts a synchronous infinite loop and keeps state", async () => {
    await run(kernel, "const kept = 'still here';");
    const pending = run(kernel, "while (true) {}");
    setTimeout(() => kernel.interrupt(), 1000);
    const r = await pending;
    assert.strictEqual(r.status, "interrupted");
    assert.strictEqual(r.errors[0].ename, "Interrupted");
    assert.strictEqual((await run(kernel, "kept")).text, "still here\n");
  });

  it("interrupts a pending await and keeps state", async () => {
    const pending = run(kernel, "await new Promise((r) => setTimeout(r, 60000));");
    setTimeout(() => kernel.interrupt(), 800);
    const r = await pending;
    assert.strictEqual(r.status, "interrupted");
    assert.ok(r.durationMs < 30000);
    assert.strictEqual((await run(kernel, "kept.length")).text, "10\n");
  });

  it("binds a magic's result to a typed variable", async () => {
    const timed = await run(kernel, "%%time --as t1\nlet s = 0; for (let i = 0; i < 1000; i++) s += i;");
    assert.match(timed.text, /Wall time: [\d.]+ (ms|s), CPU: user/);
    assert.strictEqual((await run(kernel, "typeof t1.wallMs")).text, "number\n");
    // The variable has the API's type: misuse is a type error, which proves the binding is typed (not `any`).
    const misuse = await run(kernel, "const wrong: string = t1.wallMs;");
    assert.match(misuse.errors[0].traceback[0], /Type 'number' is not assignable to type 'string'/);
    assert.strictEqual((await run(kernel, "%%time\n1")).status, "ok");
    assert.strictEqual((await run(kernel, "timeResult.status")).text, "ok\n");
  });

  it("fails %%time when its body fails, without binding", async () => {
    const r = await run(kernel, "%%time --as t2\nthrow new Error('inside');");
    assert.strictEqual(r.status, "error");
    assert.strictEqual(r.errors[0].evalue, "inside");
    assert.strictEqual((await run(kernel, "typeof t2")).status, "error");
  });

  it("runs %env, %cd and %pwd", async () => {
    assert.strictEqual((await run(kernel, "%env MEDAD_T=abc\nprocess.env.MEDAD_T")).text, "env: MEDAD_T=abc\nabc\n");
    fs.mkdirSync(path.join(dir, "sub"), { recursive: true });
    const cd = await run(kernel, "%cd sub\n%pwd");
    assert.strictEqual(cd.status, "ok");
    assert.strictEqual(
      fs.realpathSync((await run(kernel, "pwdResult")).text.trim()),
      fs.realpathSync(path.join(dir, "sub")),
    );
    await run(kernel, "%cd ..");
  });

  it("explains malformed magics in the cell and keeps state", async () => {
    const typo = await run(kernel, "%tiem 1");
    assert.strictEqual(typo.errors[0].ename, "MagicError");
    assert.match(typo.errors[0].evalue, /line 1, column 1: unknown line magic '%tiem'. Did you mean '%time'\?/);
    const misplaced = await run(kernel, "const z = 1;\n%%time\nz");
    assert.match(misplaced.errors[0].evalue, /line 2, column 1: a cell magic must be the first line/);
    const wrongKind = await run(kernel, "%%env\nA=1");
    assert.match(wrongKind.errors[0].evalue, /'%%env' is not a cell magic/);
    const missingDir = await run(kernel, "%cd ./does-not-exist");
    assert.match(missingDir.errors[0].evalue, /line 1, column 5: .*does-not-exist does not exist/);
    const help = await run(kernel, "%help tim");
    assert.match(help.errors[0].evalue, /no magic named 'tim'. Did you mean 'time'\?/);
    assert.strictEqual((await run(kernel, "kept")).text, "still here\n");
  });

  it("lists magics and shows help", async () => {
    assert.match((await run(kernel, "%lsmagic")).text, /%%time .*\n(.*\n)*\s+%cd /);
    assert.match((await run(kernel, "%help %%time")).text, /Run TypeScript and report/);
  });
});

describe("kernel crash recovery", function () {
  it("reports a kernel that dies mid-cell and starts a fresh one on the next run", async () => {
    const kernel = new KernelClient({ cwd: os.tmpdir() });
    const exits: string[] = [];
    kernel.onUnexpectedExit((d) => exits.push(d));
    try {
      await run(kernel, "const before = 1;");
      const firstPid = kernel.pid;
      const died = await run(
        kernel,
        "console.log('about to die'); await new Promise((r) => setTimeout(r, 100)); process.exit(3);",
      );
      assert.strictEqual(died.status, "died");
      assert.match(died.text, /about to die/);
      assert.strictEqual(died.errors[0].ename, "KernelDied");
      assert.match(died.errors[0].evalue, /exited with code 3. Variables from earlier cells are lost/);
      assert.deepStrictEqual(exits, ["The kernel process exited with code 3."]);
      const next = await run(kernel, "typeof before");
      assert.notStrictEqual(kernel.pid, firstPid);
      assert.strictEqual(next.status, "error", "the fresh kernel has no `before`");
      assert.strictEqual((await run(kernel, "1 + 1")).text, "2\n");
    } finally {
      await kernel.shutdown();
    }
  });

  it("reports a kernel killed from outside while a cell runs", async () => {
    const kernel = new KernelClient({ cwd: os.tmpdir() });
    try {
      await kernel.start();
      const pending = run(kernel, "await new Promise((r) => setTimeout(r, 60000));");
      setTimeout(() => process.kill(kernel.pid!, "SIGKILL"), 500);
      const r = await pending;
      assert.strictEqual(r.status, "died");
      assert.match(r.errors[0].evalue, /was killed by SIGKILL/);
      assert.strictEqual((await run(kernel, "'alive'")).text, "alive\n");
    } finally {
      await kernel.shutdown();
    }
  });

  it("stops a loop that runs after an await by killing the kernel once the interrupt times out", async () => {
    const kernel = new KernelClient({ cwd: os.tmpdir(), interruptTimeoutMs: 3000 });
    try {
      await kernel.start();
      const pending = run(kernel, "await new Promise((r) => setTimeout(r, 10));\nwhile (true) {}");
      setTimeout(() => kernel.interrupt(), 1000);
      const r = await pending;
      assert.strictEqual(r.status, "died");
      assert.match(r.errors[0].evalue, /did not stop within 3 s of the interrupt .* so the kernel was stopped/);
      assert.strictEqual((await run(kernel, "'fresh'")).text, "fresh\n");
    } finally {
      await kernel.shutdown();
    }
  });

  it("restart gives a fresh process without the old state", async () => {
    const kernel = new KernelClient({ cwd: os.tmpdir() });
    try {
      await run(kernel, "const old = 5;");
      await kernel.restart();
      assert.strictEqual((await run(kernel, "typeof old")).status, "error");
    } finally {
      await kernel.shutdown();
    }
  });
});

describe("kernel start failure", function () {
  it("ends the cell with an error that says why the kernel could not start", async () => {
    const kernel = new KernelClient({ cwd: os.tmpdir(), nodePath: "/nonexistent/node" });
    const r = await run(kernel, "1");
    assert.strictEqual(r.status, "died");
    assert.strictEqual(r.errors[0].ename, "KernelStartError");
    assert.match(r.errors[0].evalue, /\/nonexistent\/node/);
  });
});

describe("%dataset", function () {
  it("shows the demo set's summary table and thumbnails and binds a typed Dataset", async () => {
    const kernel = new KernelClient({ cwd: os.tmpdir() });
    try {
      const r = await run(kernel, "%dataset demo");
      assert.strictEqual(r.status, "ok", JSON.stringify(r.errors));
      const displays = r.outputs.filter((o) => o.kind === "display").map((o) => (o.kind === "display" ? o.data : {}));
      const table = displays[0]["application/vnd.medad.table+json"] as { columns: string[]; rows: unknown[][] };
      assert.deepStrictEqual(table.columns, ["category", "split", "normal", "abnormal", "unlabelled", "masks"]);
      assert.deepStrictEqual(table.rows, [
        ["Brain", "valid", 16, 16, 0, 16],
        ["Brain", "test", 48, 48, 0, 48],
      ]);
      assert.match(String(displays[1]["image/png"]), /^iVBORw0KGgo/);
      assert.strictEqual(
        (await run(kernel, "datasetResult.samples.filter((s) => s.label === 'abnormal').length")).text,
        "64\n",
      );
      const missing = await run(kernel, "%dataset ./no-such-folder");
      assert.strictEqual(missing.status, "error");
      assert.match(missing.errors[0].evalue, /no-such-folder/);
    } finally {
      await kernel.shutdown();
    }
  });
});

describe("background jobs from a cell", function () {
  it("shows a live progress bar, stops with the cell's interrupt, and keeps the kernel's state", async () => {
    const kernel = new KernelClient({ cwd: os.tmpdir() });
    try {
      await run(kernel, "const before = 'kept';");
      const done = await run(
        kernel,
        "await medad.runInBackground('sleep-steps', { steps: 3, stepMs: 10 }, 'Demo job')",
      );
      assert.strictEqual(done.status, "ok", JSON.stringify(done.errors));
      const bars = done.outputs.filter((o) => o.kind === "display" && o.displayId !== undefined);
      assert.strictEqual(bars.length, 1, "one progress output, updated in place");
      assert.match(
        String((bars[0] as { data: Record<string, unknown> }).data["text/plain"]),
        /^Demo job \[#+\] 100% done in/,
      );

      const pending = run(
        kernel,
        "await medad.runInBackground('sleep-steps', { steps: 1000, stepMs: 50 }, 'Long job')",
      );
      setTimeout(() => kernel.interrupt(), 1500);
      const stopped = await pending;
      assert.strictEqual(stopped.status, "interrupted");
      assert.strictEqual((await run(kernel, "before")).text, "kept\n");
      const crashed = await run(
        kernel,
        "await medad.runInBackground('sleep-steps', { steps: 5, stepMs: 5, crashAt: 2 }, 'Crash')",
      );
      assert.strictEqual(crashed.status, "error");
      assert.strictEqual(crashed.errors[0].ename, "WorkerDied");
      assert.strictEqual((await run(kernel, "before")).text, "kept\n");
    } finally {
      await kernel.shutdown();
    }
  });
});

describe("orphaned kernel", function () {
  it("exits when its host is killed while a cell spins in a synchronous loop", async () => {
    const client = require.resolve("../../kernel/client/kernelClient");
    const host = `const { KernelClient } = require(${JSON.stringify(client)});
      (async () => {
        const k = new KernelClient({ cwd: ${JSON.stringify(os.tmpdir())} });
        await k.start();
        process.stdout.write(String(k.pid) + "\\n");
        k.execute("while (true) {}", () => {});
        setTimeout(() => process.kill(process.pid, "SIGKILL"), 1000);
      })();`;
    const { execFileSync } = await import("child_process");
    let out = "";
    try {
      out = execFileSync(process.execPath, ["-e", host], { encoding: "utf8", timeout: 60000 });
    } catch (err) {
      out = String((err as { stdout?: string }).stdout ?? "");
    }
    const pid = Number(out.trim().split("\n")[0]);
    assert.ok(pid > 0, `no kernel pid in ${JSON.stringify(out)}`);
    const alive = () => {
      try {
        process.kill(pid, 0);
        // A zombie (exited, waiting for init to reap it) still answers signal 0: read its state.
        return !/^\S+ \(\S+\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8"));
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 100 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(!alive(), `kernel ${pid} outlived its host`);
  });
});
