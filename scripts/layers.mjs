// The layer table of DEVELOPERS.md ("Layout") as data: which folders (and npm packages) each folder may import.
// eslint.config.mjs turns it into lint rules; `node scripts/layers.mjs --check` (run by `npm run lint`) fails when
// the "May import" column of DEVELOPERS.md differs from it, and `--write` rewrites that column from it.
//
// To allow a dependency: add the folder (or one file, `kernel/x/file.ts`) to `may`, as `[path, reason]` when the
// reason is not obvious, then run `node scripts/layers.mjs --write`. A new kernel/ subfolder needs its own entry.
import { builtinModules } from "node:module";
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * folder → { may: folders or files it may import (beside itself), packages: npm packages it may import,
 * node: false where Node built-ins are not available }. "kernel/*" is every kernel/ folder; "*" is anything.
 */
export const LAYERS = {
  "extension/": {
    may: [
      "kernel/client",
      "kernel/protocol",
      ["kernel/magics/editor", "the pure completion, hover and diagnostic providers the editor glue serves"],
    ],
    packages: ["vscode"],
  },
  "kernel/protocol/": { may: [] },
  "kernel/util/": { may: [] },
  "kernel/metrics/": { may: [["kernel/util/random", "seeded generators (pure) for bootstrap resampling"]] },
  "kernel/imaging/": { may: [], packages: ["pngjs", "jpeg-js", "dicom-parser", "nifti-reader-js"] },
  "kernel/tokenizer/": { may: ["kernel/util"], packages: ["html-entities"] },
  "kernel/engine/": { may: ["kernel/util"], packages: ["onnxruntime-node"] },
  "kernel/data/": {
    may: ["kernel/imaging", "kernel/util", ["kernel/protocol", "types: the `%dataset` summary is a protocol table"]],
  },
  "kernel/models/": {
    may: [
      "kernel/util",
      [
        "kernel/engine",
        "the weights layout of a cache entry, checkpoint conversion, writing and training demo weights",
      ],
      ["kernel/data", "the demo models' seeded PRNG and the image–caption corpus that `demoClip/` pretrains on"],
      ["kernel/imaging", "decoding that corpus"],
      ["kernel/tokenizer", "tokenizing its captions"],
    ],
  },
  "kernel/methods/": {
    may: [
      "kernel/engine",
      "kernel/data",
      "kernel/metrics",
      "kernel/tokenizer",
      "kernel/util",
      ["kernel/models", "a run resolves its model spec through the cache; `modelHash` names the Hub location"],
      ["kernel/imaging", "`detect` probes new image files and applies a DICOM window to them"],
    ],
  },
  "kernel/grid/": {
    may: [
      "kernel/methods",
      "kernel/protocol",
      "kernel/util",
      ["kernel/worker/fewshotJob.ts", "a cell runs the same few-shot job the worker runs"],
    ],
  },
  "kernel/viz/": {
    may: ["kernel/metrics", "kernel/protocol", ["kernel/util/random", "seeded generators (pure) for t-SNE and PCA"]],
    packages: ["pngjs"],
  },
  "kernel/worker/": {
    may: [
      "kernel/util",
      ["kernel/methods/runFewshot.ts", "the job entry point"],
      ["kernel/methods/result.ts", "the result a job returns"],
    ],
  },
  "kernel/client/": { may: ["kernel/protocol", "kernel/util"] },
  "kernel/notebook/": {
    may: ["kernel/protocol", "kernel/util", ["kernel/client", "types: `runNotebook` drives a `KernelClient`"]],
  },
  "kernel/api/": {
    may: [
      "kernel/data",
      "kernel/engine",
      "kernel/grid",
      "kernel/imaging",
      "kernel/methods",
      "kernel/models",
      "kernel/protocol",
      "kernel/util",
      "kernel/viz",
      ["kernel/worker", "`medad.background` queues jobs on the worker's `JobRunner`"],
    ],
  },
  "kernel/magics/": {
    may: ["kernel/api", "kernel/data", "kernel/methods", "kernel/models", "kernel/protocol", "kernel/util"],
  },
  "kernel/process/": {
    may: ["kernel/api", "kernel/magics", "kernel/protocol", "kernel/util"],
    packages: ["tslab", "@tslab/typescript-for-tslab"],
  },
  "kernel/cli/": {
    may: [
      "kernel/api",
      "kernel/client",
      "kernel/data",
      "kernel/engine",
      "kernel/grid",
      "kernel/imaging",
      "kernel/methods",
      "kernel/models",
      "kernel/notebook",
      "kernel/protocol",
      "kernel/tokenizer",
      "kernel/util",
      ["kernel/magics/ml/compare.ts", "a grid spec file (`medad grid plan`) is a `%%compare` body, read by its parser"],
      ["kernel/magics/errors.ts", "that parser's `MagicError` names the spec file's line"],
    ],
  },
  "bench/": { may: ["kernel/*"] },
  "tsplugin/": {
    may: [["kernel/magics/magicLines.ts", "pure; bundled into the TypeScript server"]],
    packages: ["typescript"],
  },
  "webviews/": {
    may: [["kernel/protocol", "pure and browser-safe"]],
    packages: ["@vscode-elements/elements", "vscode-notebook-renderer"],
    node: false,
  },
  "test/": { may: ["*"], packages: ["*"] },
  "scripts/": { may: ["*"], packages: ["*"] },
};

const KERNEL = Object.keys(LAYERS).filter((f) => f.startsWith("kernel/"));
const entryPath = (e) => (Array.isArray(e) ? e[0] : e);
const folderOf = (p) => Object.keys(LAYERS).find((f) => (p + "/").startsWith(f));

/** The folders (ending in "/") and files that `folder` may import, beside itself. */
export function allowed(folder) {
  const may = LAYERS[folder].may.map(entryPath);
  if (may.includes("*")) return Object.keys(LAYERS).filter((f) => f !== folder);
  return may.flatMap((p) =>
    p === "kernel/*" ? KERNEL.filter((f) => f !== folder) : LAYERS[p + "/"] ? [p + "/"] : [p],
  );
}

/** Where code that both `a` and `b` may use can live: folders both may import. */
function sharedHomes(a, b) {
  const ofB = new Set(allowed(b));
  return allowed(a).filter((p) => p.endsWith("/") && ofB.has(p));
}

const HOW_TO_ALLOW =
  "if the dependency is legitimate, add it with its reason to scripts/layers.mjs and run `node scripts/layers.mjs --write`.";

function zoneMessage(from, to, files) {
  const only = files.length ? ` except ${files.map((f) => f.replace(/\.ts$/, "")).join(", ")}` : "";
  const homes = sharedHomes(from, to);
  const where = homes.length
    ? `Put code both need in ${homes.join(" or ")}`
    : `${from} may import ${allowed(from).join(", ") || "nothing outside itself"}: move the code into ${from} or pass it in from the caller`;
  return `(DEVELOPERS.md "Layout") ${from} may not import ${to}${only}. ${where}; ${HOW_TO_ALLOW}`;
}

/** Zones for eslint-plugin-import's `import/no-restricted-paths` (paths relative to ROOT). */
export function restrictedPathZones() {
  const zones = [];
  for (const from of Object.keys(LAYERS)) {
    const ok = allowed(from);
    for (const to of Object.keys(LAYERS)) {
      if (to === from || ok.includes(to)) continue;
      const files = ok.filter((p) => !p.endsWith("/") && (p + "/").startsWith(to));
      zones.push({
        target: `./${from}`,
        from: `./${to}`,
        except: files.map((p) => "./" + relative(to, p)),
        message: zoneMessage(from, to, files),
      });
    }
  }
  return zones;
}

/** npm packages (and `vscode`) known to this repository: package.json dependencies, with @types/x as x. */
function knownPackages() {
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
  const names = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})];
  return [...new Set(names.map((n) => n.replace(/^@types\//, "")))].filter((n) => n !== "node").sort();
}

/** One flat-config block per folder: `no-restricted-imports` of the packages (and Node built-ins) it may not use. */
export function packageRuleBlocks() {
  const known = knownPackages();
  return Object.entries(LAYERS)
    .filter(([, l]) => !(l.packages ?? []).includes("*"))
    .map(([folder, l]) => {
      const banned = known.filter((n) => !(l.packages ?? []).includes(n));
      const message = (n) => {
        const homes = Object.keys(LAYERS).filter((f) => (LAYERS[f].packages ?? []).includes(n));
        return `(DEVELOPERS.md "Layout") ${folder} does not use ${n}: code that needs it belongs in ${homes.join(" or ")}; ${HOW_TO_ALLOW}`;
      };
      const paths = banned.map((name) => ({ name, message: message(name) }));
      const patterns = banned.map((n) => ({ group: [`${n}/*`], message: message(n) }));
      if (l.node === false) {
        const msg = `(DEVELOPERS.md "Layout") ${folder} run in the browser: no Node built-ins.`;
        paths.push(...builtinModules.filter((n) => !n.includes("/")).map((name) => ({ name, message: msg })));
        patterns.push({ group: ["node:*"], message: msg });
      }
      return { files: [`${folder}**/*.ts`], rules: { "no-restricted-imports": ["error", { paths, patterns }] } };
    });
}

/** The "May import" cell of `folder`'s row in DEVELOPERS.md. */
export function mayImportCell(folder) {
  const l = LAYERS[folder];
  const code = (p) => "`" + p.replace(/\.ts$/, "") + "`";
  const folders = l.may.map((e) => {
    const p = entryPath(e);
    const name = p === "*" ? "anything" : p === "kernel/*" ? "`kernel/` (every folder)" : code(p);
    return Array.isArray(e) ? `${name} (${e[1]})` : name;
  });
  const pkgs = (l.packages ?? []).map((p) => (p === "*" ? "any package" : code(p)));
  const parts = [folders.length ? folders.join(", ") : "nothing"];
  if (pkgs.length && !folders.includes("anything")) parts.push("npm: " + pkgs.join(", "));
  if (l.node === false) parts.push("no Node built-ins");
  return parts.join("; ");
}

const DOC = join(ROOT, "DEVELOPERS.md");
const ROW = /^\| `([^`]+)` \| (.*) \|(.*)\|$/;

/** The Layout table's rows of DEVELOPERS.md, each with the cell the data gives (or "" for folders without code). */
function layoutRows(text) {
  const start = text.indexOf("## Layout\n");
  if (start < 0) throw new Error('DEVELOPERS.md: no "## Layout" section; the layer table lives there.');
  const lines = text.split("\n");
  let lineNo = text.slice(0, start).split("\n").length;
  const rows = [];
  for (; lineNo < lines.length && !lines[lineNo].startsWith("## "); lineNo++) {
    const m = ROW.exec(lines[lineNo]);
    if (m) rows.push({ index: lineNo, folder: m[1], what: m[2], cell: m[3].trim() });
  }
  return { lines, rows };
}

/** Folders holding TypeScript that no entry of LAYERS covers (each such folder needs a row). */
function uncoveredFolders() {
  // Dot folders (.git, .e2e, .package staging, ...) are tooling or build output, never source.
  const skip = new Set(["node_modules", "out", ".git", ".e2e", "data", "notebooks", "docs", "media"]);
  const hasTs = (dir) =>
    readdirSync(dir, { withFileTypes: true }).some(
      (d) => (d.isFile() && d.name.endsWith(".ts")) || (d.isDirectory() && hasTs(join(dir, d.name))),
    );
  const tops = readdirSync(ROOT, { withFileTypes: true }).filter(
    (d) => d.isDirectory() && !skip.has(d.name) && !d.name.startsWith("."),
  );
  const candidates = tops.flatMap((d) =>
    d.name === "kernel"
      ? readdirSync(join(ROOT, "kernel"), { withFileTypes: true })
          .filter((k) => k.isDirectory())
          .map((k) => `kernel/${k.name}/`)
      : [`${d.name}/`],
  );
  return candidates.filter((f) => hasTs(join(ROOT, f)) && !folderOf(f.slice(0, -1)));
}

/** Problems between the data, the code's folders and DEVELOPERS.md; with `write`, fixes the table's cells. */
export function checkTable({ write = false } = {}) {
  const problems = [];
  for (const f of uncoveredFolders()) problems.push(`${f} holds TypeScript but has no entry in scripts/layers.mjs`);
  for (const [folder, l] of Object.entries(LAYERS))
    for (const p of l.may.map(entryPath))
      if (p !== "*" && p !== "kernel/*" && !existsSync(join(ROOT, p)))
        problems.push(`scripts/layers.mjs: ${folder} may import ${p}, which does not exist`);
  const text = readFileSync(DOC, "utf8");
  const { lines, rows } = layoutRows(text);
  for (const folder of Object.keys(LAYERS)) {
    const row = rows.find((r) => r.folder === folder);
    if (!row) {
      problems.push(`DEVELOPERS.md "Layout": no row for \`${folder}\` (scripts/layers.mjs has one)`);
      continue;
    }
    const want = mayImportCell(folder);
    if (row.cell === want) continue;
    if (write) lines[row.index] = `| \`${folder}\` | ${row.what} | ${want} |`;
    else problems.push(`DEVELOPERS.md:${row.index + 1}: \`${folder}\` May import should read: ${want}`);
  }
  for (const r of rows)
    if (!LAYERS[r.folder] && r.cell.trim() !== "")
      problems.push(
        `DEVELOPERS.md:${r.index + 1}: \`${r.folder}\` has no entry in scripts/layers.mjs: leave its cell empty`,
      );
  if (write) {
    writeFileSync(DOC + ".tmp", lines.join("\n"));
    renameSync(DOC + ".tmp", DOC);
  }
  return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const write = process.argv.includes("--write");
  if (!write && !process.argv.includes("--check")) {
    console.error("usage: node scripts/layers.mjs --check | --write");
    process.exit(2);
  }
  const problems = checkTable({ write });
  for (const p of problems) console.error(p);
  if (problems.length) {
    console.error(`${problems.length} problem(s); run \`node scripts/layers.mjs --write\` to rewrite the cells.`);
    process.exit(1);
  }
  console.log(write ? "DEVELOPERS.md layer table written from scripts/layers.mjs." : "Layer table matches.");
}
