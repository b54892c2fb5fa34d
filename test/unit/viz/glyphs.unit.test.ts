// Every character MedAD Lab itself puts into a PNG chart has a glyph in the 5×7 font, so a missing-glyph box can
// only come from user data (names, file names), never from our own titles, legends and captions. The string
// literals are read with the TypeScript scanner from the sources that build what the PNGs print: the PNG drawers
// and payload builders, the API that titles pictures, and the built-in methods' labels (legend names).
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { hasGlyph } from "../../../kernel/viz/raster/font";

const ROOT = path.resolve(__dirname, "../../../..");
const SOURCES = ["kernel/viz", "kernel/api", "kernel/protocol/labels.ts", "kernel/protocol/vizTraces.ts"];

function tsFiles(entry: string): string[] {
  const full = path.join(ROOT, entry);
  if (fs.statSync(full).isFile()) return [full];
  return fs.readdirSync(full, { withFileTypes: true }).flatMap((e) => {
    if (e.isDirectory()) return tsFiles(path.join(entry, e.name));
    return e.name.endsWith(".ts") ? [path.join(full, e.name)] : [];
  });
}

function literals(file: string, only?: (node: ts.Node) => boolean): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const visit = (node: ts.Node, wanted: boolean): void => {
    const take = wanted || !only || only(node);
    const literal =
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node);
    if (take && literal) out.push((node as ts.LiteralLikeNode).text);
    ts.forEachChild(node, (child) => visit(child, take));
  };
  visit(source, false);
  return out;
}

function missing(strings: string[]): string[] {
  return [...new Set(strings.flatMap((s) => [...s]).filter((ch) => ch !== "\n" && !hasGlyph(ch)))];
}

describe("PNG glyph coverage", () => {
  it("every character in the string literals of the chart and picture-title code has a glyph", () => {
    const files = SOURCES.flatMap(tsFiles);
    assert.ok(files.length > 20, `found only ${files.length} sources under ${ROOT}`);
    const where = (ch: string, f: string) =>
      `${JSON.stringify(ch)} (U+${ch.codePointAt(0)!.toString(16)}) in ${path.relative(ROOT, f)}`;
    const bad = files.flatMap((f) => missing(literals(f)).map((ch) => where(ch, f)));
    assert.deepStrictEqual(bad, [], "add a glyph to kernel/viz/raster/font.ts (EXTRA) or use ASCII");
  });

  it("every character of the built-in methods' labels (they become legend names) has a glyph", () => {
    const isLabel = (node: ts.Node) => ts.isPropertyAssignment(node) && node.name.getText() === "label";
    const files = tsFiles("kernel/methods");
    const labels = files.flatMap((f) => literals(f, isLabel));
    assert.ok(
      labels.some((l) => l.includes("PatchCore")),
      "the scan found the method labels",
    );
    assert.deepStrictEqual(missing(labels), []);
  });
});
