// Bundles each webview entry (renderers and panels) into an ES module under out/webviews/.
// Renderers must be ES modules (VS Code imports them); async import() chunks keep heavy libraries lazy.
"use strict";
const esbuild = require("esbuild");
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..");
const entries = fs
  .readdirSync(path.join(root, "webviews"))
  .filter((f) => /(Renderer|Panel)\.ts$/.test(f))
  .map((f) => path.join(root, "webviews", f));

esbuild
  .build({
    entryPoints: entries,
    outdir: path.join(root, "out", "webviews"),
    bundle: true,
    format: "esm",
    splitting: true,
    target: "es2022",
    sourcemap: true,
    minify: process.env.NODE_ENV === "production",
    logLevel: "warning",
  })
  .catch(() => process.exit(1));
