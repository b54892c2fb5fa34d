/**
 * Method names that switch the CCB/TSC plug-ins on: `ccb-tsc` (a base method, MVFA by default or `options.base`, with
 * both modules) and `<method>+ccb`, `<method>+tsc`, `<method>+ccb+tsc` (any method with the named modules) — so
 * `%%compare methods: [mvfa, mvfa+ccb, mvfa+tsc, ccb-tsc]` is the ablation of docs/ccb-tsc.md. Explicit `plugins`
 * settings of the call override the name's defaults module by module.
 */
import type { PluginOptions } from "./apply";

export const CCB_TSC_METHOD = "ccb-tsc";
export const CCB_TSC_DEFAULT_BASE = "mvfa";
const MODULES = ["ccb", "tsc"] as const;

export interface ParsedMethod {
  /** The method that scores (its runner). */
  base: string;
  /** Plug-ins the name switches on. */
  plugins: PluginOptions;
}

/** Splits a method name into its base and plug-ins; `base` option applies to `ccb-tsc` only. Throws on bad names. */
export function parseMethodName(method: string, baseOption?: unknown): ParsedMethod {
  if (method === CCB_TSC_METHOD) {
    const base = baseOption === undefined ? CCB_TSC_DEFAULT_BASE : baseOption;
    if (typeof base !== "string" || base === CCB_TSC_METHOD || base.includes("+")) {
      throw new Error(
        `ccb-tsc: options.base must be a plain method name such as "mvfa" or "patchcore", not ${JSON.stringify(base)}`,
      );
    }
    return { base, plugins: { ccb: true, tsc: true } };
  }
  const [base, ...mods] = method.split("+");
  // A name with an empty part ("winclip++") is not a plug-in form: left whole, it is reported as an unknown method.
  if (mods.length === 0 || base === "" || mods.includes("")) return { base: method, plugins: {} };
  const plugins: PluginOptions = {};
  for (const m of mods) {
    if (!(MODULES as readonly string[]).includes(m))
      throw new Error(`method '${method}': '+${m}' is not a plug-in (available: +ccb, +tsc)`);
    plugins[m as (typeof MODULES)[number]] = true;
  }
  return { base, plugins };
}

/** The name's plug-ins with the call's explicit `plugins` laid over them, module by module. */
export function mergePlugins(fromName: PluginOptions, explicit: PluginOptions | undefined): PluginOptions | undefined {
  const merged: PluginOptions = { ...fromName, ...(explicit ?? {}) };
  return Object.keys(merged).length ? merged : undefined;
}

/** Whether a name is a known method, possibly with plug-in suffixes (for magics that validate method lists). */
export function isPluggedMethodName(method: string, known: readonly string[]): boolean {
  if (method === CCB_TSC_METHOD) return known.includes(method);
  try {
    return known.includes(parseMethodName(method).base);
  } catch {
    return false;
  }
}
