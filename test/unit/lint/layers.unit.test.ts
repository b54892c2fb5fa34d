import * as assert from "assert";
import { ESLint } from "eslint";
import { packageRoot } from "../../../kernel/util/packageRoot";

// The layer table (scripts/layers.mjs → eslint.config.mjs) must catch a forbidden import in every form, and let an
// allowed one pass: each case lints a tiny in-memory file placed in a real folder, with the repository's config.
describe("layer table as lint rules", function () {
  this.timeout(60000);
  let eslint: ESLint;
  before(() => {
    eslint = new ESLint({ cwd: packageRoot() });
  });

  async function problems(filePath: string, code: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath });
    return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
  }

  it("refuses kernel/metrics importing kernel/methods, and says where the code goes", async () => {
    const found = await problems(
      "kernel/metrics/layerSelfTest.ts",
      'import { fewshot } from "../methods/runFewshot";\nexport const f = fewshot;\n',
    );
    assert.strictEqual(found.length, 1, found.join("\n"));
    assert.match(found[0], /^import\/no-restricted-paths: .*kernel\/metrics\/ may not import kernel\/methods\//);
    assert.match(found[0], /move the code into kernel\/metrics\/ or pass it in from the caller/);
  });

  it("refuses a type-only import too (`import type`, `export type … from`)", async () => {
    const found = await problems(
      "kernel/metrics/layerSelfTest.ts",
      'import type { FewshotResult } from "../methods/result";\nexport type { FewshotOptions } from ' +
        '"../methods/runFewshot";\nexport type R = FewshotResult;\n',
    );
    assert.deepStrictEqual(
      found.map((m) => m.split(":")[0]),
      ["import/no-restricted-paths", "import/no-restricted-paths"],
      found.join("\n"),
    );
  });

  it('refuses a relative import("…") type, which the path rule cannot see', async () => {
    const found = await problems(
      "kernel/metrics/layerSelfTest.ts",
      'export type R = import("../methods/result").FewshotResult;\n',
    );
    assert.strictEqual(found.length, 1, found.join("\n"));
    assert.match(found[0], /^no-restricted-syntax: .*invisible to the layer rules/);
  });

  it("allows what the row names: kernel/viz importing kernel/metrics, worker importing the job entry point", async () => {
    assert.deepStrictEqual(
      await problems(
        "kernel/viz/layerSelfTest.ts",
        'import { aurocExact } from "../metrics/auroc";\nexport const a = aurocExact;\n',
      ),
      [],
    );
    const found = await problems(
      "kernel/worker/layerSelfTest.ts",
      'import type { FewshotOptions } from "../methods/runFewshot";\nimport type { MethodContext } from "../methods/method";\n' +
        "export type T = [FewshotOptions, MethodContext];\n",
    );
    assert.strictEqual(found.length, 1, found.join("\n"));
    assert.match(found[0], /kernel\/worker\/ may not import kernel\/methods\/ except kernel\/methods\/runFewshot/);
  });

  it("refuses an npm package outside its row (vscode in the engine)", async () => {
    const found = await problems(
      "kernel/engine/layerSelfTest.ts",
      'import type { Uri } from "vscode";\nexport type U = Uri;\n',
    );
    assert.strictEqual(found.length, 1, found.join("\n"));
    assert.match(found[0], /^no-restricted-imports: .*kernel\/engine\/ does not use vscode: .* belongs in extension\//);
  });
});
