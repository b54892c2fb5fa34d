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

// plotly's cartesian bundle is not bundled: renderers load it lazily with a <script> next to themselves
// (webviews/shared/plotly.ts), so notebooks without charts never parse 1.5 MB.
function copyPlotly() {
  const dir = path.dirname(require.resolve("plotly.js-cartesian-dist-min/package.json"));
  const out = path.join(root, "out", "webviews");
  fs.mkdirSync(out, { recursive: true });
  fs.copyFileSync(path.join(dir, "plotly-cartesian.min.js"), path.join(out, "plotly-cartesian.min.js"));
  fs.copyFileSync(path.join(dir, "LICENSE"), path.join(out, "plotly-cartesian.LICENSE"));
}

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
  .then(copyPlotly)
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
