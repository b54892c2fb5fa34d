import { MagicError } from "./errors";
import type { Magic } from "./magic";
import { nearest } from "./suggest";

/** The magics a kernel knows; later features register theirs next to the built-ins. */
export class MagicRegistry {
  private readonly byName = new Map<string, Magic>();

  register(magic: Magic): void {
    if (this.byName.has(magic.name)) throw new Error(`magic '${magic.name}' is registered twice`);
    this.byName.set(magic.name, magic);
  }

  all(): Magic[] {
    return [...this.byName.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  get(name: string): Magic | undefined {
    return this.byName.get(name);
  }

  /** Finds a magic for a use in a cell, or explains precisely why there is none. */
  resolve(name: string, kind: "line" | "cell", line: number, column: number): Magic {
    const prefix = kind === "cell" ? "%%" : "%";
    const magic = this.byName.get(name);
    if (!magic) {
      const candidates = this.all()
        .filter((m) => m.kinds.includes(kind))
        .map((m) => m.name);
      const suggestion = nearest(name, candidates);
      throw new MagicError(
        `unknown ${kind} magic '${prefix}${name}'.`,
        line,
        column,
        `one of ${candidates.map((c) => prefix + c).join(", ")} (see %lsmagic)`,
        suggestion ? prefix + suggestion : undefined,
      );
    }
    if (!magic.kinds.includes(kind)) {
      const other = kind === "cell" ? "%" : "%%";
      throw new MagicError(
        `'${prefix}${name}' is not a ${kind} magic.`,
        line,
        column,
        `'${other}${name}' (see %help ${name})`,
      );
    }
    return magic;
  }
}

/** Pulls the generic `--as NAME` option (the variable that receives a magic's result) out of the arguments. */
export function takeResultName(args: string, line: number, argsColumn: number): { args: string; as?: string } {
  const match = /(^|\s)--as(?:\s+|=)(\S+)/.exec(args);
  if (!match) {
    if (/(^|\s)--as\s*$/.test(args))
      throw new MagicError("--as needs a variable name.", line, argsColumn + args.lastIndexOf("--as"), "--as myResult");
    return { args };
  }
  const name = match[2];
  if (!/^[A-Za-z_$][\w$]*$/.test(name)) {
    throw new MagicError(
      `'${name}' is not a valid variable name.`,
      line,
      argsColumn + match.index + match[0].lastIndexOf(name),
      "a TypeScript identifier such as result2",
    );
  }
  // Blanked rather than cut out, so the columns of the arguments after it stay right in error messages.
  return {
    args: (
      args.slice(0, match.index) +
      " ".repeat(match[0].length) +
      args.slice(match.index + match[0].length)
    ).trimEnd(),
    as: name,
  };
}

/** Default variable for a magic's result: `%%fewshot` → `fewshotResult`, `%my-magic` → `myMagicResult`. */
export function defaultResultName(magicName: string): string {
  return magicName.replace(/[-_](\w)/g, (_, c: string) => c.toUpperCase()) + "Result";
}
