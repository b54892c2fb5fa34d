// The model a bench uses: `--model DIR`, else the tiny random CLIP fixture, looked up where a checkout keeps
// `shared/` (inside the repository or beside it, as CI's clean clone does).
import * as fs from "fs";
import * as path from "path";
import { arg } from "./args";

export function benchModel(): string {
  const given = arg("model", "");
  if (given) return given;
  const repo = path.resolve(__dirname, "..", "..");
  const candidates = [path.join(repo, "shared"), path.join(repo, "..", "shared")].map((s) =>
    path.join(s, "fixtures", "tiny-clip", "model"),
  );
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found)
    throw new Error(`tiny-clip fixture not found at ${candidates.join(" or ")}; pass --model <checkpoint folder>`);
  return found;
}
