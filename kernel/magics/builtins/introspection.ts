import { MagicError } from "../errors";
import type { Magic } from "../magic";
import { nearest } from "../suggest";

export const lsmagicMagic: Magic = {
  name: "lsmagic",
  kinds: ["line"],
  summary: "List the available magics.",
  usage: "%lsmagic    lists line magics (%name) and cell magics (%%name) with one line each; %help NAME shows details.",
  async run(_invocation, ctx) {
    const rows = ctx
      .magics()
      .flatMap((m) => m.kinds.map((kind) => `${kind === "cell" ? "%%" : "%"}${m.name}`.padEnd(14) + m.summary));
    ctx.print(
      `Available magics (%help NAME for details):\n${rows
        .sort()
        .map((r) => "  " + r)
        .join("\n")}\n`,
    );
    return undefined;
  },
};

export const helpMagic: Magic = {
  name: "help",
  kinds: ["line"],
  summary: "Show how to use a magic: %help fewshot.",
  usage: "%help NAME  shows a magic's usage, options and body keys (NAME with or without % signs).",
  async run(invocation, ctx) {
    const name = invocation.args.trim().replace(/^%+/, "").trim();
    const all = ctx.magics();
    if (name === "") {
      throw new MagicError(
        "%help needs a magic name.",
        invocation.line,
        invocation.argsColumn,
        `one of ${all.map((m) => m.name).join(", ")}`,
      );
    }
    const magic = all.find((m) => m.name === name);
    if (!magic) {
      throw new MagicError(
        `no magic named '${name}'.`,
        invocation.line,
        invocation.argsColumn,
        `one of ${all.map((m) => m.name).join(", ")}`,
        nearest(
          name,
          all.map((m) => m.name),
        ),
      );
    }
    let text = `${magic.summary}\n\n${magic.usage}\n`;
    if (magic.bodySchema) {
      const keys = Object.entries(magic.bodySchema).map(
        ([k, spec]) => `  ${k}${spec.required ? " (required)" : ""}: ${spec.description}`,
      );
      text += `\nBody keys:\n${keys.join("\n")}\n`;
    }
    ctx.print(text);
    return undefined;
  },
};
