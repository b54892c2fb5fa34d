// tslab's TypeScript fork: a runtime dependency already (tslab type-checks cells with it), used here only to parse.
import * as ts from "@tslab/typescript-for-tslab";

/**
 * Rewrites shorthand properties `{ labels }` as `{ labels: labels }`. tslab turns a variable of an earlier cell into
 * an access on its shared scope object, but misses shorthand properties, so `{ labels }` threw "labels is not
 * defined" in any later cell. The long form means the same everywhere (object literals and destructuring
 * assignments), so every shorthand is expanded. Type errors on such a line report columns shifted by the insertion.
 */
export function expandShorthandProperties(code: string): string {
  if (!/[{,]\s*[A-Za-z_$][\w$]*\s*[,}=]/.test(code)) return code; // fast path: no candidate at all
  const file = ts.createSourceFile("cell.ts", code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const inserts: Array<{ at: number; text: string }> = [];
  const visit = (node: ts.Node): void => {
    if (ts.isShorthandPropertyAssignment(node))
      inserts.push({ at: node.name.getStart(file), text: `${node.name.text}: ` });
    ts.forEachChild(node, visit);
  };
  visit(file);
  let out = code;
  for (const { at, text } of inserts.sort((a, b) => b.at - a.at)) out = out.slice(0, at) + text + out.slice(at);
  return out;
}
