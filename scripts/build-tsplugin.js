// Bundles the TypeScript server plugin (tsplugin/index.ts) into node_modules/medad-magic-ts-plugin/, where VS Code's
// TypeScript extension looks for the plugins an extension contributes (<extension root>/node_modules/<name>).
// CommonJS, everything it needs bundled (the TypeScript module itself is handed to it by the server).
"use strict";
const esbuild = require("esbuild");
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..");
const name = "medad-magic-ts-plugin";
const dir = path.join(root, "node_modules", name);

function writeAtomically(file, text) {
  fs.writeFileSync(`${file}.tmp`, text);
  fs.renameSync(`${file}.tmp`, file);
}

const { version } = require(path.join(root, "package.json"));
fs.mkdirSync(dir, { recursive: true });
esbuild
  .build({
    entryPoints: [path.join(root, "tsplugin", "index.ts")],
    outfile: path.join(dir, "index.js.tmp"),
    bundle: true,
    format: "cjs",
    platform: "node",
    target: "node18",
    logLevel: "warning",
  })
  .then(() => {
    fs.renameSync(path.join(dir, "index.js.tmp"), path.join(dir, "index.js"));
    const description = "MedAD Lab: hides magic lines of notebook cells from TypeScript";
    const manifest = { name, version, private: true, description, main: "index.js" };
    writeAtomically(path.join(dir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  })
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
