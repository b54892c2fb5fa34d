import { MagicError } from "../errors";
import type { Magic } from "../magic";

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const envMagic: Magic = {
  name: "env",
  kinds: ["line"],
  summary: "Show or set environment variables of the kernel process.",
  usage: [
    "%env                 list all variables",
    "%env NAME            show one",
    "%env NAME=VALUE      set one (also: %env NAME VALUE); child processes started later inherit it",
  ].join("\n"),
  async run(invocation, ctx) {
    const args = invocation.args.trim();
    if (args === "") {
      const names = Object.keys(process.env).sort();
      ctx.print(names.map((n) => `${n}=${process.env[n]}`).join("\n") + "\n");
      return undefined;
    }
    const match = /^([^=\s]+)\s*(?:=\s*|\s+)?(.*)$/s.exec(args)!;
    const [, name, value] = match;
    if (!NAME.test(name)) {
      throw new MagicError(
        `'${name}' is not a valid environment variable name.`,
        invocation.line,
        invocation.argsColumn,
        "letters, digits and _ (not starting with a digit)",
      );
    }
    const assigns = args.includes("=") || /\s/.test(args);
    if (!assigns) {
      const current = process.env[name];
      ctx.print(current === undefined ? `${name} is not set\n` : `${current}\n`);
      return undefined;
    }
    process.env[name] = value;
    ctx.print(`env: ${name}=${value}\n`);
    return undefined;
  },
};
