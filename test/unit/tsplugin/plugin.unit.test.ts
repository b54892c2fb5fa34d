// The TypeScript server plugin against a real TypeScript language service (the project's TypeScript 5.9): which
// text it hides, which diagnostics, completions and hovers it drops, and that it keeps TypeScript's own errors.
import * as assert from "assert";
import * as ts from "typescript";
import init from "../../../tsplugin/index";
import { awayFromMagic, blankMagic, isNotebookCellFile, touchesMagic } from "../../../tsplugin/magicText";
import { magicRanges } from "../../../kernel/magics/magicLines";

const CELL = "^/vscode-notebook-cell/ts-nul-authority/work/nb/01-quickstart.ipynb#W5sZmlsZQ==";
const PLAIN = "/work/src/plain.ts";

/** A language service over in-memory files, with the plugin applied as the TypeScript server would. */
function service(files: Record<string, string>, plugin = true): ts.LanguageService {
  const host: ts.LanguageServiceHost = {
    // As the TypeScript server's inferred project for VS Code's in-memory cells: non-.ts names, opened as TS.
    getCompilationSettings: () => ({
      target: ts.ScriptTarget.ES2022,
      strict: true,
      allowNonTsExtensions: true,
      lib: ["lib.es2022.d.ts"],
    }),
    getScriptKind: () => ts.ScriptKind.TS,
    getScriptFileNames: () => Object.keys(files),
    getScriptVersion: () => "1",
    getScriptSnapshot: (f) => {
      const text = f in files ? files[f] : ts.sys.readFile(f);
      return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
    },
    getCurrentDirectory: () => "/",
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    fileExists: (f) => f in files || ts.sys.fileExists(f),
    readFile: (f) => files[f] ?? ts.sys.readFile(f),
  };
  const languageService = ts.createLanguageService(host);
  if (!plugin) return languageService;
  const info = { languageService, languageServiceHost: host, config: {} } as unknown as ts.server.PluginCreateInfo;
  return init({ typescript: ts }).create(info);
}

const codes = (ds: readonly ts.Diagnostic[]) => ds.map((d) => d.code);

describe("TypeScript plugin: magic text", () => {
  it("recognises VS Code's notebook cell files only", () => {
    assert.ok(isNotebookCellFile(CELL));
    assert.ok(isNotebookCellFile("/vscode-notebook-cell/host/nb.ipynb#c1"));
    assert.ok(!isNotebookCellFile(PLAIN));
  });

  it("blanks magic lines to spaces, keeping every offset and line break", () => {
    const cell = "%%fewshot --as r\r\ndataset: demo\nshots: 4";
    const blank = blankMagic(cell);
    assert.strictEqual(blank.length, cell.length);
    assert.strictEqual(blank, `${" ".repeat(16)}\r\n${" ".repeat(13)}\n${" ".repeat(8)}`);
    const mixed = "const a = 1;\n%roc a\nconsole.log(a);";
    assert.strictEqual(blankMagic(mixed), "const a = 1;\n      \nconsole.log(a);");
    assert.strictEqual(blankMagic("a % b"), "a % b");
  });

  it("treats a position or span as on magic when it meets a magic line, ends included", () => {
    const ranges = magicRanges("x;\n%roc a\ny;"); // magic: 3..9
    const spans: Array<[number, number]> = [
      [9, 0],
      [10, 0],
      [0, 2],
      [1, 2],
    ];
    assert.deepStrictEqual(
      spans.map(([at, n]) => touchesMagic(ranges, at, n)),
      [true, false, false, true],
    );
    const items = [{ start: 0, length: 1 }, { start: 4, length: 2 }, { start: undefined }];
    items.push({ span: { start: 5, length: 0 } } as never);
    const kept = awayFromMagic(items, ranges);
    assert.deepStrictEqual(kept, [{ start: 0, length: 1 }, { start: undefined }]);
  });
});

describe("TypeScript plugin: language service", () => {
  const fewshot = "%%fewshot --as r\ndataset: demo\nmethod: mvfa";
  const mixed = "const a: number = 1;\n%roc a\nconst b = a +;";

  it("reports no syntax error or unused label on magic lines, where plain TypeScript reports them", () => {
    const bare = service({ [CELL]: fewshot }, false);
    assert.ok(codes(bare.getSyntacticDiagnostics(CELL)).includes(1109), "without the plugin: Expression expected");
    const all = [...bare.getSemanticDiagnostics(CELL), ...bare.getSuggestionDiagnostics(CELL)];
    assert.ok(codes(all).includes(7028), `without the plugin: Unused label, got ${codes(all)}`);
    const ls = service({ [CELL]: fewshot });
    const found = [ls.getSyntacticDiagnostics(CELL), ls.getSemanticDiagnostics(CELL)].flat();
    found.push(...ls.getSuggestionDiagnostics(CELL));
    assert.deepStrictEqual(codes(found), []);
  });

  it("still reports a TypeScript error on a code line of a cell with magics, at its own offset", () => {
    const ls = service({ [CELL]: mixed });
    const errors = ls.getSyntacticDiagnostics(CELL);
    assert.deepStrictEqual(codes(errors), [1109]);
    assert.strictEqual(errors[0].start, mixed.indexOf(";", mixed.indexOf("a +")));
    assert.deepStrictEqual(codes(ls.getSemanticDiagnostics(CELL)), []);
  });

  it("offers no completions, quick info or signature help on magic lines, and TypeScript's elsewhere", () => {
    const ls = service({ [CELL]: mixed });
    const onMagic = mixed.indexOf("%roc a") + 5;
    assert.strictEqual(ls.getCompletionsAtPosition(CELL, onMagic, {}), undefined);
    assert.strictEqual(ls.getQuickInfoAtPosition(CELL, onMagic), undefined);
    const onCode = mixed.indexOf("a +");
    assert.ok(ls.getCompletionsAtPosition(CELL, onCode, {})?.entries.some((e) => e.name === "a"));
    assert.match(ts.displayPartsToString(ls.getQuickInfoAtPosition(CELL, onCode)?.displayParts), /const a: number/);
    const body = service({ [CELL]: fewshot });
    assert.strictEqual(body.getCompletionsAtPosition(CELL, fewshot.indexOf("demo") + 2, {}), undefined);
  });

  it("does not format magic lines away", () => {
    const cell = "%time   \nconst  x = 1;";
    const edits = service({ [CELL]: cell }).getFormattingEditsForDocument(CELL, ts.getDefaultFormatCodeSettings());
    assert.ok(edits.length > 0, "the code line is still formatted");
    assert.ok(
      edits.every((e) => e.span.start > cell.indexOf("\n")),
      JSON.stringify(edits),
    );
  });

  it("leaves files that are not notebook cells alone", () => {
    const ls = service({ [PLAIN]: "const a = 1\n% 2;" });
    assert.deepStrictEqual(codes(ls.getSyntacticDiagnostics(PLAIN)), []);
    const withPlugin = codes(service({ [PLAIN]: fewshot }).getSyntacticDiagnostics(PLAIN));
    assert.ok(withPlugin.includes(1109), "a .ts file keeps TypeScript's errors on % lines");
    assert.deepStrictEqual(withPlugin, codes(service({ [PLAIN]: fewshot }, false).getSyntacticDiagnostics(PLAIN)));
  });
});
