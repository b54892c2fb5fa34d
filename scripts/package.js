#!/usr/bin/env node
// `npm run package [-- --target linux-x64]`: builds the platform-specific .vsix users install.
// The extension is staged in .package/<target>/ with exactly what ships, then `vsce package --target` packs that
// folder. What ships, and why:
//   dist/extension.js        the extension-host code, one esbuild bundle (npm packages stay external: they ship below)
//   out/kernel/**            the kernel process, unbundled: the prelude cell imports out/kernel/api/index, whose .d.ts
//                            files tslab type-checks against, and the kernel must share that module instance
//   out/webviews/**          the notebook renderers (already esbuild bundles)
//   bin/medad.js, data/, notebooks/ (not *.executed.ipynb), media/, README.md, LICENSE
//   node_modules/**          the production dependency tree (`npm ls --omit=dev`), with every .d.ts (TypeScript's
//                            lib*.d.ts, @types/node) but only the target platform's native binaries
// Source maps, tests, benches and the extension's unbundled out/extension/ stay out.
"use strict";
const fs = require("fs");
const path = require("path");
const { execFileSync } = require("child_process");

const REPO = path.join(__dirname, "..");
// vsce's target name → Node's process.platform / process.arch, as the native packages name their folders.
const TARGETS = {
  "linux-x64": { os: "linux", arch: "x64" },
  "linux-arm64": { os: "linux", arch: "arm64" },
  "darwin-x64": { os: "darwin", arch: "x64" },
  "darwin-arm64": { os: "darwin", arch: "arm64" },
  "win32-x64": { os: "win32", arch: "x64" },
  "win32-arm64": { os: "win32", arch: "arm64" },
};
// Folders of native packages laid out as <dir>/<os>/<arch>/…: only the target's <os>/<arch> is kept.
const NATIVE_DIRS = ["onnxruntime-node/bin/napi-v6", "zeromq/build"];
// Parts of packages the kernel never loads at run time (build inputs, TypeScript's other programs, translations).
const PRUNE = [
  "zeromq/src",
  "zeromq/script",
  "zeromq/CMakeLists.txt",
  "zeromq/vcpkg.json",
  "@tslab/typescript-for-tslab/lib/tsserver.js",
  "@tslab/typescript-for-tslab/lib/tsserverlibrary.js",
  "@tslab/typescript-for-tslab/lib/tsserverlibrary.d.ts",
  "@tslab/typescript-for-tslab/lib/typingsInstaller.js",
  "@tslab/typescript-for-tslab/lib/tsc.js",
];
const TS_LOCALES = /^(cs|de|es|fr|it|ja|ko|pl|pt-br|ru|tr|zh-cn|zh-tw)$/;

function parseArgs(argv) {
  const args = { target: "linux-x64", out: undefined };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--target") args.target = argv[++i];
    else if (argv[i] === "--out") args.out = argv[++i];
    else
      throw new Error(
        `package: unknown argument ${argv[i]} (usage: --target ${Object.keys(TARGETS).join("|")} [--out FILE])`,
      );
  }
  if (!TARGETS[args.target])
    throw new Error(`package: unknown target ${args.target}; one of ${Object.keys(TARGETS).join(", ")}`);
  return args;
}

/** Copies a file or folder tree; `keep(relPath, isDir)` filters; symlinks are copied as what they point to. */
function copyTree(src, dst, keep = () => true, rel = "") {
  const st = fs.statSync(src);
  if (st.isDirectory()) {
    fs.mkdirSync(dst, { recursive: true });
    for (const name of fs.readdirSync(src)) {
      const r = rel ? `${rel}/${name}` : name;
      const s = path.join(src, name);
      if (!keep(r, fs.statSync(s).isDirectory())) continue;
      copyTree(s, path.join(dst, name), keep, r);
    }
  } else {
    fs.mkdirSync(path.dirname(dst), { recursive: true });
    fs.copyFileSync(src, dst);
  }
}

const noMaps = (rel) => !rel.endsWith(".map");

/** Production dependency folders, relative to the repo (node_modules/a, node_modules/a/node_modules/b, …). */
function productionPackages() {
  const out = execFileSync("npm", ["ls", "--omit=dev", "--all", "--parseable"], { cwd: REPO, encoding: "utf8" });
  const dirs = out
    .split("\n")
    .filter(Boolean)
    .map((d) => path.relative(REPO, fs.realpathSync(d)) || ".");
  const pkgs = dirs.filter((d) => d !== "." && d.startsWith("node_modules"));
  // The TypeScript server plugin for magic lines (a local package linked into node_modules) ships when present.
  const plugin = path.join("node_modules", "medad-magic-ts-plugin");
  if (fs.existsSync(path.join(REPO, plugin)) && !pkgs.includes(plugin)) pkgs.push(plugin);
  return [...new Set(pkgs)].sort();
}

function stageNodeModules(stage, target) {
  const { os, arch } = TARGETS[target];
  const pkgs = productionPackages();
  for (const pkg of pkgs) {
    // npm ls resolves a linked package to its real folder; it ships under the name it is installed as.
    const real = fs.realpathSync(path.join(REPO, pkg));
    const dst = path.join(stage, pkg);
    copyTree(real, dst, (rel) => rel !== "node_modules" && !rel.startsWith("node_modules/") && noMaps(rel));
  }
  const nm = path.join(stage, "node_modules");
  for (const dir of NATIVE_DIRS) {
    const root = path.join(nm, dir);
    if (!fs.existsSync(root)) continue;
    for (const o of fs.readdirSync(root)) {
      const od = path.join(root, o);
      if (!fs.statSync(od).isDirectory()) continue;
      if (o !== os) fs.rmSync(od, { recursive: true });
      else for (const a of fs.readdirSync(od)) if (a !== arch) fs.rmSync(path.join(od, a), { recursive: true });
    }
    if (!fs.existsSync(path.join(root, os, arch))) throw new Error(`package: ${dir} has no binary for ${os}/${arch}`);
  }
  for (const p of PRUNE) fs.rmSync(path.join(nm, p), { recursive: true, force: true });
  const tsLib = path.join(nm, "@tslab/typescript-for-tslab/lib");
  if (fs.existsSync(tsLib)) {
    for (const d of fs.readdirSync(tsLib)) if (TS_LOCALES.test(d)) fs.rmSync(path.join(tsLib, d), { recursive: true });
  }
  return pkgs;
}

/** The staged manifest: main points at the bundle; each dependency pinned to the version staged, for `npm ls`. */
function stageManifest(stage, pkgs) {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8"));
  pkg.main = "./dist/extension.js";
  delete pkg.devDependencies;
  delete pkg.scripts;
  delete pkg.allowScripts;
  const deps = {};
  for (const name of Object.keys(pkg.dependencies ?? {})) deps[name] = installedVersion(stage, name);
  if (pkgs.includes(path.join("node_modules", "medad-magic-ts-plugin"))) {
    deps["medad-magic-ts-plugin"] = installedVersion(stage, "medad-magic-ts-plugin");
  }
  pkg.dependencies = deps;
  fs.writeFileSync(path.join(stage, "package.json"), JSON.stringify(pkg, null, 2) + "\n");
  return pkg;
}

function installedVersion(stage, name) {
  return JSON.parse(fs.readFileSync(path.join(stage, "node_modules", name, "package.json"), "utf8")).version;
}

async function bundleExtension(stage) {
  const esbuild = require("esbuild");
  await esbuild.build({
    entryPoints: [path.join(REPO, "out", "extension", "extension.js")],
    outfile: path.join(stage, "dist", "extension.js"),
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    external: ["vscode"],
    // npm packages are loaded from the shipped node_modules: onnxruntime-node and zeromq load native binaries
    // relative to their own files, which a bundle cannot carry.
    packages: "external",
    logLevel: "warning",
  });
}

function stageFiles(stage) {
  for (const f of ["README.md", "LICENSE", "bin/medad.js"]) copyTree(path.join(REPO, f), path.join(stage, f));
  for (const d of ["media", "data"]) copyTree(path.join(REPO, d), path.join(stage, d));
  copyTree(path.join(REPO, "notebooks"), path.join(stage, "notebooks"), (rel) => !rel.endsWith(".executed.ipynb"));
  copyTree(path.join(REPO, "out", "kernel"), path.join(stage, "out", "kernel"), noMaps);
  copyTree(path.join(REPO, "out", "webviews"), path.join(stage, "out", "webviews"), noMaps);
  // vsce adds its own default ignores (.git, *.vsix, …); everything staged ships.
  fs.writeFileSync(path.join(stage, ".vscodeignore"), "# scripts/package.js stages exactly what ships\n");
}

function countFiles(dir) {
  let n = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true }))
    n += e.isDirectory() ? countFiles(path.join(dir, e.name)) : 1;
  return n;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(path.join(REPO, "out", "extension", "extension.js"))) {
    throw new Error("package: out/extension/extension.js is missing; run `npm run build` first");
  }
  const stage = path.join(REPO, ".package", args.target);
  fs.rmSync(stage, { recursive: true, force: true });
  fs.mkdirSync(stage, { recursive: true });
  stageFiles(stage);
  await bundleExtension(stage);
  const pkgs = stageNodeModules(stage, args.target);
  const manifest = stageManifest(stage, pkgs);

  const out = path.resolve(args.out ?? path.join(REPO, `${manifest.name}-${args.target}-${manifest.version}.vsix`));
  const tmpOut = `${out}.partial.vsix`;
  const vsce = path.join(REPO, "node_modules", "@vscode", "vsce", "vsce");
  // --no-rewrite-relative-links: README's image ships in media/ and resolves inside the installed extension.
  execFileSync(
    process.execPath,
    [vsce, "package", "--target", args.target, "--no-rewrite-relative-links", "--out", tmpOut],
    { cwd: stage, stdio: "inherit" },
  );
  fs.renameSync(tmpOut, out);
  const mb = (fs.statSync(out).size / 1e6).toFixed(1);
  console.log(
    `package: ${path.relative(process.cwd(), out)} (${mb} MB; ${countFiles(stage)} files staged in ` +
      `${path.relative(process.cwd(), stage)})`,
  );
}

main().catch((e) => {
  console.error(e.message || e);
  process.exit(1);
});
