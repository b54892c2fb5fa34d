import * as fs from "fs";
import * as path from "path";

let cached: string | undefined;

/**
 * The folder holding MedAD Lab's package.json, found upward from this compiled file, so bundled data and the
 * version are found both in a checkout (out/kernel/...) and in an installed extension.
 */
export function packageRoot(): string {
  if (cached) return cached;
  let dir = __dirname;
  for (;;) {
    const pkg = path.join(dir, "package.json");
    if (fs.existsSync(pkg) && /"name":\s*"medad-lab"/.test(fs.readFileSync(pkg, "utf8"))) return (cached = dir);
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`cannot find the medad-lab package root above ${__dirname}`);
    dir = up;
  }
}

export function packageVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(packageRoot(), "package.json"), "utf8")) as { version: string }).version;
}
