/**
 * SD-MAD-inspired sign lists (methods.md §6.2): per modality, short descriptions of the radiological signs of each
 * anomaly category plus signs of a normal image. The paper generates them with an LLM; offline we ship curated JSON
 * lists (`signs/*.json`, our curation, not the authors') that a notebook can read, edit and pass back as
 * `options.signs`. Every sign becomes the prompt "a {modality} image showing {sign}."
 */
import * as fs from "fs";
import * as path from "path";
import { packageRoot } from "../../util/packageRoot";

/** The signs of one modality: `normal` and one list per anomaly category (the dataset's anomaly_type values). */
export interface SignSet {
  modality: string;
  normal: string[];
  categories: Record<string, string[]>;
}

/** A shipped list: a SignSet plus which dataset classes it is the default for and where it came from. */
export interface ShippedSigns extends SignSet {
  name: string;
  classes: string[];
  curation: string;
  file: string;
}

/** What `options.signs` accepts: a shipped list's name, or a (partial) SignSet whose keys replace the shipped ones. */
export type SignsOption = string | { modality?: string; normal?: string[]; categories?: Record<string, string[]> };

export function signsFolder(): string {
  return path.join(packageRoot(), "kernel", "methods", "sdmad", "signs");
}

function checkList(v: unknown, where: string): string[] {
  if (!Array.isArray(v) || v.length === 0 || !v.every((s) => typeof s === "string" && s.trim().length > 0)) {
    throw new Error(`${where} must be a non-empty list of non-empty strings (one sign each)`);
  }
  return v.map((s: string) => s.trim());
}

function readShipped(file: string): ShippedSigns {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
  } catch (err) {
    throw new Error(`${file}: not readable JSON (${(err as Error).message}); fix the file or reinstall MedAD Lab`);
  }
  const cats = raw.categories as Record<string, unknown> | undefined;
  if (typeof raw.modality !== "string" || !cats || typeof cats !== "object")
    throw new Error(`${file}: needs "modality" (string) and "categories" ({category: [signs]})`);
  return {
    name: path.basename(file, ".json"),
    file,
    modality: raw.modality,
    classes: Array.isArray(raw.classes) ? (raw.classes as string[]) : [],
    curation: typeof raw.curation === "string" ? raw.curation : "",
    normal: checkList(raw.normal, `${file}: "normal"`),
    categories: Object.fromEntries(Object.entries(cats).map(([c, v]) => [c, checkList(v, `${file}: category "${c}"`)])),
  };
}

/** Every shipped list, by name (file name without .json). */
export function shippedSignLists(): ShippedSigns[] {
  const dir = signsFolder();
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => readShipped(path.join(dir, f)));
}

/** One shipped list by name, e.g. "brain-mri". */
export function shippedSigns(name: string): ShippedSigns {
  const all = shippedSignLists();
  const hit = all.find((s) => s.name === name);
  if (!hit)
    throw new Error(
      `no shipped sign list '${name}' in ${signsFolder()}; shipped: ${all.map((s) => s.name).join(", ")}`,
    );
  return hit;
}

/** The shipped list whose `classes` name this dataset class (case-insensitive, `_AD` suffix ignored), if any. */
export function defaultSignsFor(datasetClass: string): ShippedSigns | undefined {
  const norm = (s: string) => s.replace(/_AD$/i, "").toLowerCase();
  return shippedSignLists().find((s) => s.classes.some((c) => norm(c) === norm(datasetClass)));
}

/**
 * The signs a run uses: `option` (a shipped name, or keys that replace the default list's), over the default list of
 * the dataset class. Every anomaly category of the support set needs signs; categories without support images are
 * dropped (they could be neither trained nor evaluated).
 */
export function resolveSigns(
  option: SignsOption | undefined,
  datasetClass: string,
  needed: readonly string[],
): { signs: SignSet; source: string } {
  let base: SignSet | undefined;
  let source: string;
  if (typeof option === "string") {
    base = shippedSigns(option);
    source = `shipped list '${option}'`;
  } else {
    const d = defaultSignsFor(datasetClass);
    base = d;
    source = d ? `shipped list '${d.name}' (default for class ${datasetClass})` : "options.signs";
    if (option && typeof option === "object") {
      if (option.modality !== undefined && typeof option.modality !== "string")
        throw new Error('options.signs.modality must be a string, e.g. "brain MRI"');
      const categories: Record<string, string[]> = { ...(d?.categories ?? {}) };
      for (const [c, v] of Object.entries(option.categories ?? {}))
        categories[c] = checkList(v, `options.signs.categories.${c}`);
      const modality = option.modality ?? d?.modality;
      const normal = option.normal !== undefined ? checkList(option.normal, "options.signs.normal") : d?.normal;
      if (!modality || !normal) {
        throw new Error(
          `options.signs: class '${datasetClass}' has no shipped sign list, so give modality, normal and categories (shipped lists: ${shippedSignLists()
            .map((s) => s.name)
            .join(", ")})`,
        );
      }
      base = { modality, normal, categories };
      source = d ? `shipped list '${d.name}' edited by options.signs` : "options.signs";
    } else if (option !== undefined) {
      throw new Error(
        'options.signs must be a shipped list name (e.g. "brain-mri") or {modality?, normal?, categories?: {category: [signs]}}',
      );
    }
  }
  if (!base) {
    throw new Error(
      `class '${datasetClass}' has no shipped sign list: pass options.signs = a shipped name (${shippedSignLists()
        .map((s) => s.name)
        .join(", ")}) or {modality, normal, categories}`,
    );
  }
  const missing = needed.filter((c) => !base!.categories[c]);
  if (missing.length) {
    throw new Error(
      `no signs for anomaly categor${missing.length > 1 ? "ies" : "y"} ${missing.map((c) => `'${c}'`).join(", ")} (${source} has ${Object.keys(base.categories).join(", ")}); add them with options.signs = {categories: {${missing[0]}: ["…", "…"]}}`,
    );
  }
  const categories = Object.fromEntries(needed.map((c) => [c, base!.categories[c]]));
  return { signs: { modality: base.modality, normal: base.normal, categories }, source };
}

/** The prompt a sign is encoded as. */
export function signPrompt(modality: string, sign: string): string {
  return `a ${modality} image showing ${sign.replace(/[.\s]+$/, "")}.`;
}

/**
 * The flat sign table: group 0 = normal, group c = categories[c − 1]; `group[s]` is sign s's group. The text matrix,
 * sign scores and logits all use this order.
 */
export interface SignLayout {
  categories: string[];
  texts: string[];
  prompts: string[];
  group: number[];
}

export function signLayout(signs: SignSet, categories: readonly string[]): SignLayout {
  const texts: string[] = [];
  const group: number[] = [];
  signs.normal.forEach((s) => (texts.push(s), group.push(0)));
  categories.forEach((c, i) => signs.categories[c].forEach((s) => (texts.push(s), group.push(i + 1))));
  return { categories: [...categories], texts, prompts: texts.map((s) => signPrompt(signs.modality, s)), group };
}
