/**
 * `medad-magic-ts-plugin`: a TypeScript server plugin that VS Code's TypeScript extension loads for MedAD Lab
 * (`contributes.typescriptServerPlugins`; `npm run build` bundles it into node_modules/medad-magic-ts-plugin).
 * Magic lines (`%name …`, and a `%%name` cell with its `key: value` body) are not TypeScript, so in notebook cells
 * the language service is shown the cell with those lines blanked to spaces: no "Expression expected" or "Unused label"
 * there, and the code around them parses as the kernel runs it. Completions, quick info and signature help are not
 * offered on magic lines (ours are: extension/magicEditor.ts), and edits or diagnostics located on them are dropped.
 */
import type * as ts from "typescript";
import { magicRanges } from "../kernel/magics/magicLines";
import { awayFromMagic, blankMagic, isNotebookCellFile, touchesMagic } from "./magicText";

type Tsm = typeof ts;

function create(tsm: Tsm, info: ts.server.PluginCreateInfo): ts.LanguageService {
  const host = info.languageServiceHost;
  const original = host.getScriptSnapshot.bind(host);
  const textOf = (fileName: string): string | undefined => {
    const snapshot = original(fileName);
    return snapshot?.getText(0, snapshot.getLength());
  };
  const rangesOf = (fileName: string) => {
    if (!isNotebookCellFile(fileName)) return [];
    const text = textOf(fileName);
    return text === undefined ? [] : magicRanges(text);
  };

  // The language service reads every file through its host, so blanking here reaches parsing, checking and
  // classification alike. A fresh string snapshot has no change range to the last one: the cell is reparsed whole.
  host.getScriptSnapshot = (fileName) => {
    const snapshot = original(fileName);
    if (!snapshot || !isNotebookCellFile(fileName)) return snapshot;
    const text = snapshot.getText(0, snapshot.getLength());
    const ranges = magicRanges(text);
    return ranges.length === 0 ? snapshot : tsm.ScriptSnapshot.fromString(blankMagic(text, ranges));
  };

  const ls = info.languageService;
  const proxy: ts.LanguageService = Object.create(null);
  for (const key of Object.keys(ls) as Array<keyof ts.LanguageService>) {
    const member = ls[key];
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    (proxy as any)[key] = typeof member === "function" ? (member as (...a: unknown[]) => unknown).bind(ls) : member;
  }
  const onMagic = (fileName: string, position: number) => touchesMagic(rangesOf(fileName), position);

  proxy.getSyntacticDiagnostics = (f) => awayFromMagic(ls.getSyntacticDiagnostics(f), rangesOf(f));
  proxy.getSemanticDiagnostics = (f) => awayFromMagic(ls.getSemanticDiagnostics(f), rangesOf(f));
  proxy.getSuggestionDiagnostics = (f) => awayFromMagic(ls.getSuggestionDiagnostics(f), rangesOf(f));
  proxy.getCompletionsAtPosition = (f, position, ...rest) =>
    onMagic(f, position) ? undefined : ls.getCompletionsAtPosition(f, position, ...rest);
  proxy.getQuickInfoAtPosition = (f, position, ...rest) =>
    onMagic(f, position) ? undefined : ls.getQuickInfoAtPosition(f, position, ...rest);
  proxy.getSignatureHelpItems = (f, position, ...rest) =>
    onMagic(f, position) ? undefined : ls.getSignatureHelpItems(f, position, ...rest);
  // The formatter sees blank lines where magics are and would trim them away: keep its hands off magic text.
  proxy.getFormattingEditsForRange = (f, ...rest) =>
    awayFromMagic(ls.getFormattingEditsForRange(f, ...rest), rangesOf(f));
  proxy.getFormattingEditsForDocument = (f, ...rest) =>
    awayFromMagic(ls.getFormattingEditsForDocument(f, ...rest), rangesOf(f));
  proxy.getFormattingEditsAfterKeystroke = (f, ...rest) =>
    awayFromMagic(ls.getFormattingEditsAfterKeystroke(f, ...rest), rangesOf(f));
  info.project?.projectService?.logger?.info("medad-magic-ts-plugin: magic lines of notebook cells are hidden");
  return proxy;
}

function init(modules: { typescript: Tsm }): ts.server.PluginModule {
  return { create: (info) => create(modules.typescript, info) };
}

export = init;
