import { UsageError } from "./command";
import { parseWindow, type Window } from "../imaging/window";

export interface ParsedArgs {
  positional: string[];
  /** `--name value` and `--name=value` options; a flag without a value maps to "true". */
  options: Map<string, string>;
}

/**
 * Parses `--key value`, `--key=value` and bare flags. `flags` names the options that take no value,
 * so `--inplace nb.ipynb` keeps `nb.ipynb` positional. Unknown options are a usage error.
 */
export function parseArgs(args: string[], valued: readonly string[], flags: readonly string[] = []): ParsedArgs {
  const positional: string[] = [];
  const options = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith("--")) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    if (flags.includes(name)) {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      options.set(name, "true");
    } else if (valued.includes(name)) {
      const value = eq >= 0 ? arg.slice(eq + 1) : args[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      options.set(name, value);
    } else {
      throw new UsageError(`unknown option --${name}`);
    }
  }
  return { positional, options };
}

/** `--window CENTER,WIDTH` (undefined when not given); a malformed one is a usage error. */
export function windowOption(text: string | undefined): Window | undefined {
  if (text === undefined) return undefined;
  try {
    return parseWindow(text);
  } catch (err) {
    throw new UsageError(`--window: ${(err as Error).message}`);
  }
}
