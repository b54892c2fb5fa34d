/**
 * `%roc`, `%tsne`, `%heatmap`, `%explore`: pictures of a result held in a variable. Each is sugar for one call of
 * the public API that a code cell can make too (`medad.show.roc(fewshotResult)`, …): the magic checks its arguments,
 * then runs that call in the notebook's scope, so an unknown variable is reported like any TypeScript error.
 */
import { CellStopped, type Magic, type MagicContext, type MagicInvocation } from "../magic";
import { countArg, resultExpression, tokenizeArgs, tooMany } from "./resultArgs";

async function runApiCall(code: string, invocation: MagicInvocation, ctx: MagicContext): Promise<undefined> {
  const status = await ctx.runCode(code, invocation.line);
  if (status !== "ok") throw new CellStopped(status);
  return undefined;
}

/** The TypeScript a view magic runs, or a MagicError pointing at the bad argument. */
export function viewCall(invocation: MagicInvocation): string {
  const tokens = tokenizeArgs(invocation.args, invocation.argsColumn, invocation.line);
  switch (invocation.name) {
    case "roc": {
      const usage = "%roc RESULT [RESULT …]";
      const exprs = [
        resultExpression(tokens[0], invocation, usage),
        ...tokens.slice(1).map((t) => resultExpression(t, invocation, usage)),
      ];
      return `medad.show.roc(${exprs.length === 1 ? exprs[0] : `[${exprs.join(", ")}]`});`;
    }
    case "tsne": {
      const usage = "%tsne RESULT";
      const expr = resultExpression(tokens[0], invocation, usage);
      if (tokens[1]) tooMany(tokens[1], invocation, usage);
      return `medad.show.tsne(${expr});`;
    }
    case "heatmap":
    case "explore": {
      const usage = `%${invocation.name} RESULT [CASES]`;
      const expr = resultExpression(tokens[0], invocation, usage);
      if (tokens[2]) tooMany(tokens[2], invocation, usage);
      const cases = tokens[1] ? countArg(tokens[1], invocation, "number of cases") : undefined;
      return `medad.show.${invocation.name}(${expr}${cases !== undefined ? `, { cases: ${cases} }` : ""});`;
    }
    default:
      throw new Error(`viewCall: '${invocation.name}' is not a view magic`);
  }
}

const RESULT_NOTE =
  "RESULT: a variable holding a FewshotResult or CompareResult (%%fewshot, %%compare, %load), e.g. fewshotResult or compareResult.runs[0].";

export const rocMagic: Magic = {
  name: "roc",
  kinds: ["line"],
  summary: "Show ROC curves (exact AUROC) of the runs in a result variable.",
  usage: [
    "%roc RESULT [RESULT …]",
    "",
    RESULT_NOTE,
    "Every run of a compare result is one curve. Same as medad.show.roc(RESULT).",
  ].join("\n"),
  checkArgs: (invocation) => void viewCall(invocation),
  run: (invocation, ctx) => runApiCall(viewCall(invocation), invocation, ctx),
};

export const tsneMagic: Magic = {
  name: "tsne",
  kinds: ["line"],
  summary: "Show a seeded t-SNE of a result's test images, coloured by truth, prediction and outcome.",
  usage: [
    "%tsne RESULT",
    "",
    RESULT_NOTE,
    "Each point is an image's fused anomaly map as the result stores it (else its per-level scores). Same as",
    "medad.show.tsne(RESULT).",
  ].join("\n"),
  checkArgs: (invocation) => void viewCall(invocation),
  run: (invocation, ctx) => runApiCall(viewCall(invocation), invocation, ctx),
};

export const heatmapMagic: Magic = {
  name: "heatmap",
  kinds: ["line"],
  summary: "Show test images sorted by score with anomaly-map overlays and mask contours.",
  usage: [
    "%heatmap RESULT [CASES]",
    "",
    RESULT_NOTE,
    "CASES (default 40) are taken evenly over the score ranking, so both ends show. The images are read again from",
    "the result's dataset folder. Same as medad.show.heatmap(RESULT, { cases: CASES }).",
  ].join("\n"),
  checkArgs: (invocation) => void viewCall(invocation),
  run: (invocation, ctx) => runApiCall(viewCall(invocation), invocation, ctx),
};

export const exploreMagic: Magic = {
  name: "explore",
  kinds: ["line"],
  summary: "Open a result's cases in the MedAD Results Explorer panel (VS Code).",
  usage: [
    "%explore RESULT [CASES]",
    "",
    RESULT_NOTE,
    "Every run of a compare result becomes one method, side by side. Outside VS Code (medad run) the cell only",
    "says so. Same as medad.show.explore(RESULT, { cases: CASES }).",
  ].join("\n"),
  checkArgs: (invocation) => void viewCall(invocation),
  run: (invocation, ctx) => runApiCall(viewCall(invocation), invocation, ctx),
};
