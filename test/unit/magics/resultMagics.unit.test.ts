import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { saveResult } from "../../../kernel/api/savedResults";
import { MagicError } from "../../../kernel/magics/errors";
import type { MagicContext, MagicInvocation } from "../../../kernel/magics/magic";
import { parseModelsArgs, modelsMagic } from "../../../kernel/magics/ml/models";
import { loadMagic, saveCall, saveMagic } from "../../../kernel/magics/ml/saveLoad";
import { exploreMagic, heatmapMagic, rocMagic, tsneMagic, viewCall } from "../../../kernel/magics/ml/views";
import { setDisplaySink } from "../../../kernel/api/displaySink";
import { TABLE_MIME, type TableData } from "../../../kernel/protocol/table";
import type { MimeBundle } from "../../../kernel/protocol/outputs";
import { fakeResult } from "../../helpers/fakeResult";
import { tempDir } from "../../helpers/tempTree";

/** `%name args` on cell line 2, args starting at column 2 + name length + 1. */
function line(name: string, args: string): MagicInvocation {
  return { name, kind: "line", args, line: 2, argsColumn: name.length + 3 };
}

function fakeContext(status: "ok" | "error" = "ok") {
  const ran: Array<{ code: string; line: number }> = [];
  const printed: string[] = [];
  const ctx: MagicContext = {
    runCode: async (code, l) => (ran.push({ code, line: l }), status),
    print: (t) => printed.push(t),
    signal: new AbortController().signal,
    magics: () => [],
  };
  return { ctx, ran, printed };
}

function throwsAt(f: () => unknown, column: number, message: RegExp): void {
  assert.throws(
    f,
    (e: MagicError) => e instanceof MagicError && e.line === 2 && e.column === column && message.test(e.message),
  );
}

describe("%roc, %tsne, %heatmap, %explore", () => {
  it("run one public API call with the variable named", async () => {
    const cases: Array<[typeof rocMagic, string, string]> = [
      [rocMagic, "fewshotResult", "medad.show.roc(fewshotResult);"],
      [rocMagic, "a  compareResult.runs[1]", "medad.show.roc([a, compareResult.runs[1]]);"],
      [tsneMagic, "r2", "medad.show.tsne(r2);"],
      [heatmapMagic, "fewshotResult", "medad.show.heatmap(fewshotResult);"],
      [heatmapMagic, "fewshotResult 12", "medad.show.heatmap(fewshotResult, { cases: 12 });"],
      [exploreMagic, "compareResult 5", "medad.show.explore(compareResult, { cases: 5 });"],
    ];
    for (const [magic, args, code] of cases) {
      const { ctx, ran } = fakeContext();
      assert.strictEqual(await magic.run(line(magic.name, args), ctx), undefined);
      assert.deepStrictEqual(ran, [{ code, line: 2 }], `%${magic.name} ${args}`);
    }
  });

  it("stop the cell when the call fails (the error was already shown)", async () => {
    const { ctx } = fakeContext("error");
    await assert.rejects(rocMagic.run(line("roc", "nope"), ctx), /cell stopped: error/);
  });

  it("point at the offending argument", () => {
    throwsAt(() => viewCall(line("roc", "")), 6, /%roc needs the variable that holds a result/);
    throwsAt(() => viewCall(line("tsne", "a; process.exit()")), 7, /'a;' is not a variable name/);
    throwsAt(() => viewCall(line("tsne", "a b")), 9, /unexpected argument 'b'/);
    throwsAt(() => viewCall(line("heatmap", "r many")), 12, /'many' is not a valid number of cases/);
    throwsAt(() => viewCall(line("heatmap", "r 0")), 12, /'0' is not a valid number of cases/);
    throwsAt(() => viewCall(line("explore", "'r'")), 10, /''r'' is not a variable name|'r' is not a variable name/);
  });
});

describe("%save and %load", function () {
  this.timeout(20000); // the fake result reads the demo dataset
  let dir: string;
  beforeEach(() => (dir = tempDir("medad-saveload-")));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("%save runs medad.saveResult with the file as a string literal", async () => {
    assert.strictEqual(
      saveCall('fewshotResult "my runs/a.json"', 7, 2),
      'console.log(medad.internal.describeSave(medad.saveResult(fewshotResult, "my runs/a.json")));',
    );
    const { ctx, ran } = fakeContext();
    await saveMagic.run(line("save", "r results/r.json"), ctx);
    assert.strictEqual(ran[0].code, 'console.log(medad.internal.describeSave(medad.saveResult(r, "results/r.json")));');
    throwsAt(() => saveCall("r", 7, 2), 8, /%save needs a file to write/);
    throwsAt(() => saveCall("r a.json b", 7, 2), 16, /unexpected argument 'b'/);
    throwsAt(() => saveCall('r "a.json', 7, 2), 9, /unbalanced quote/);
  });

  it("%load returns the saved result, typed by what it holds, and prints what it loaded", async () => {
    const file = path.join(dir, "r.json");
    const result = fakeResult();
    saveResult(result, file);
    const { ctx, printed } = fakeContext();
    const loaded = await loadMagic.run(line("load", JSON.stringify(file)), ctx);
    assert.deepStrictEqual(loaded, result);
    assert.strictEqual(loadMagic.resultTypeOf!(loaded), "FewshotResult");
    assert.strictEqual(loadMagic.resultTypeOf!({ cells: [], runs: [] }), "CompareResult");
    assert.match(
      printed.join(""),
      /^loaded a FewshotResult: PatchCore-style on demo-brainmri\/Brain, 1-shot, seed 0, image AUROC 1\.0000/,
    );
  });

  it("%load points at the file argument when the file is bad", async () => {
    const file = path.join(dir, "bad.json");
    fs.writeFileSync(file, "{");
    const { ctx } = fakeContext();
    await assert.rejects(
      loadMagic.run(line("load", file), ctx),
      (e: MagicError) => e.line === 2 && e.column === 7 && e.message.startsWith(`${file}: is corrupt`),
    );
    await assert.rejects(loadMagic.run(line("load", ""), ctx), /%load needs the file to read/);
  });
});

describe("%models", () => {
  it("parses list and pull", () => {
    assert.deepStrictEqual(parseModelsArgs(line("models", "")), { kind: "list" });
    assert.deepStrictEqual(parseModelsArgs(line("models", "list")), { kind: "list" });
    assert.deepStrictEqual(parseModelsArgs(line("models", "pull openai/clip-vit-base-patch16")), {
      kind: "pull",
      repo: "openai/clip-vit-base-patch16",
      revision: undefined,
      force: false,
    });
    assert.deepStrictEqual(parseModelsArgs(line("models", "pull org/m --revision v2 --force")), {
      kind: "pull",
      repo: "org/m",
      revision: "v2",
      force: true,
    });
    throwsAt(() => parseModelsArgs(line("models", "fetch x/y")), 9, /unknown %models command 'fetch'/);
    throwsAt(() => parseModelsArgs(line("models", "pull nothing")), 14, /'nothing' is not a Hub repo id/);
    throwsAt(() => parseModelsArgs(line("models", "pull x/y --rev a")), 18, /unknown option '--rev'/);
    throwsAt(() => parseModelsArgs(line("models", "pull")), 13, /%models pull needs a repo id/);
  });

  it("lists the cache with size, digest and source", async () => {
    const cache = tempDir("medad-models-");
    const saved = process.env.MEDAD_CACHE;
    const shown: MimeBundle[] = [];
    setDisplaySink((d) => shown.push(d));
    try {
      process.env.MEDAD_CACHE = cache;
      const empty = fakeContext();
      assert.deepStrictEqual(await modelsMagic.run(line("models", ""), empty.ctx), []);
      assert.match(empty.printed.join(""), /no models in the cache yet/);
      const dir = path.join(cache, "org--tiny");
      fs.mkdirSync(dir);
      for (const f of ["config.json", "model.safetensors", "vocab.json", "merges.txt"])
        fs.writeFileSync(path.join(dir, f), "x".repeat(10));
      const sha = "ab".repeat(32);
      fs.writeFileSync(
        path.join(dir, "medad-model.json"),
        JSON.stringify({
          repo: "org/tiny",
          revision: "main",
          endpoint: "http://127.0.0.1:1",
          files: { "model.safetensors": { size: 10, sha256: sha, verifiedBy: "etag" } },
          absent: [],
          expectedSizes: {},
          updatedAt: "",
        }),
      );
      const listed = (await modelsMagic.run(line("models", ""), fakeContext().ctx)) as Array<{
        name: string;
        bytes: number;
        sha256: string;
        source: string;
        complete: boolean;
      }>;
      assert.deepStrictEqual(
        listed.map((m) => [m.name, m.bytes, m.sha256, m.source, m.complete]),
        [["org/tiny", 40, sha, "http://127.0.0.1:1", true]],
      );
      const table = shown[0][TABLE_MIME] as TableData;
      assert.deepStrictEqual(table.rows[0], [
        "org/tiny",
        "40 B",
        sha.slice(0, 16) + "…",
        "http://127.0.0.1:1",
        "complete",
      ]);
    } finally {
      setDisplaySink(undefined);
      if (saved === undefined) delete process.env.MEDAD_CACHE;
      else process.env.MEDAD_CACHE = saved;
      fs.rmSync(cache, { recursive: true, force: true });
    }
  });
});
