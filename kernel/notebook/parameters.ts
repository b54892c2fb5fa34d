/**
 * Notebook parameters, papermill-style: a code cell tagged `parameters` declares defaults with `let`; `medad run
 * --param name=value` inserts a cell tagged `injected-parameters` right after it that assigns the new values. The
 * executed notebook keeps that cell, so it records what it ran with. Used to run the real-data tutorial in CI with
 * stand-ins (`metadata.medad.ciParameters`).
 */
import { joinText, splitText, type Ipynb } from "./ipynb";

export const PARAMETERS_TAG = "parameters";
export const INJECTED_TAG = "injected-parameters";

/** `name=value` → [name, value]; the value is JSON when it parses (numbers, true, ["a"]), else the text itself. */
export function parseParamArg(arg: string): [string, unknown] {
  const eq = arg.indexOf("=");
  if (eq <= 0) throw new Error(`--param '${arg}' should be name=value, e.g. --param epochs=2`);
  const name = arg.slice(0, eq);
  const text = arg.slice(eq + 1);
  let value: unknown = text;
  try {
    value = JSON.parse(text);
  } catch {
    // a bare word or path: keep it as a string
  }
  return [name, value];
}

function tagsOf(cell: Ipynb["cells"][number]): string[] {
  const tags = cell.metadata?.tags;
  return Array.isArray(tags) ? tags.filter((t): t is string => typeof t === "string") : [];
}

/** A copy of `nb` with the assignments inserted after its `parameters` cell. `file` names the notebook in errors. */
export function injectParameters(nb: Ipynb, params: Record<string, unknown>, file: string): Ipynb {
  const names = Object.keys(params);
  if (names.length === 0) return nb;
  const at = nb.cells.findIndex((c) => c.cell_type === "code" && tagsOf(c).includes(PARAMETERS_TAG));
  if (at < 0)
    throw new Error(
      `${file} has no cell tagged '${PARAMETERS_TAG}', so --param has nothing to override; tag the cell that declares the defaults (let name = ...)`,
    );
  const declared = joinText(nb.cells[at].source);
  const lines = names.map((name) => {
    if (!/^[A-Za-z_$][\w$]*$/.test(name)) throw new Error(`--param ${name}: not a TypeScript identifier`);
    if (!new RegExp(`\\b(let|var)\\s+${name.replace(/\$/g, "\\$")}\\b`).test(declared)) {
      throw new Error(
        `--param ${name}: the parameters cell (cell ${at + 1} of ${file}) does not declare it with let; declared there: ${[...declared.matchAll(/\b(?:let|var)\s+([A-Za-z_$][\w$]*)/g)].map((m) => m[1]).join(", ") || "nothing"}`,
      );
    }
    const value = params[name];
    if (value === undefined) throw new Error(`--param ${name}: no value`);
    return `${name} = ${JSON.stringify(value)};`;
  });
  const copy: Ipynb = structuredClone(nb);
  copy.cells.splice(at + 1, 0, {
    cell_type: "code",
    metadata: { tags: [INJECTED_TAG] },
    execution_count: null,
    outputs: [],
    source: splitText(`// Injected by medad run --param\n${lines.join("\n")}`),
  });
  return copy;
}
