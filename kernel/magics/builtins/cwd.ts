import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { MagicError } from "../errors";
import type { Magic } from "../magic";

export const pwdMagic: Magic = {
  name: "pwd",
  kinds: ["line"],
  summary: "Show the kernel's working folder.",
  usage: "%pwd       prints the working folder (relative paths in cells and magics start there); bound to `pwdResult`.",
  resultType: "string",
  async run(_invocation, ctx) {
    ctx.print(process.cwd() + "\n");
    return process.cwd();
  },
};

function unquote(text: string): string {
  return /^(["']).*\1$/.test(text) ? text.slice(1, -1) : text;
}

export const cdMagic: Magic = {
  name: "cd",
  kinds: ["line"],
  summary: "Change the kernel's working folder.",
  usage:
    "%cd PATH    changes the working folder (~ is your home; no PATH: home); relative paths start at the current one.",
  async run(invocation, ctx) {
    const raw = unquote(invocation.args.trim());
    const target =
      raw === "" || raw === "~"
        ? os.homedir()
        : raw.startsWith("~/")
          ? path.join(os.homedir(), raw.slice(2))
          : path.resolve(raw);
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(target);
    } catch {
      stat = undefined;
    }
    if (!stat?.isDirectory()) {
      const why = stat ? "is not a folder" : "does not exist";
      throw new MagicError(
        `${target} ${why}.`,
        invocation.line,
        invocation.argsColumn,
        "an existing folder (see %pwd for where you are)",
      );
    }
    process.chdir(target);
    ctx.print(process.cwd() + "\n");
    return undefined;
  },
};
