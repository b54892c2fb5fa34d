/** `%models` lists the model cache; `%models pull org/name` downloads into it (sugar over medad.models). */
import { display } from "../../api/display";
import { listModels, modelsTable, pullModelWithProgress } from "../../api/models";
import { MagicError } from "../errors";
import type { Magic, MagicInvocation } from "../magic";
import { tokenizeArgs, tooMany, type ArgToken } from "./resultArgs";

export type ModelsCommand = { kind: "list" } | { kind: "pull"; repo: string; revision?: string; force: boolean };

const USAGE = "%models  |  %models pull ORG/NAME [--revision REV] [--force]";

/** Parses `%models` arguments; errors point at the offending word. */
export function parseModelsArgs(invocation: Pick<MagicInvocation, "args" | "argsColumn" | "line">): ModelsCommand {
  const tokens = tokenizeArgs(invocation.args, invocation.argsColumn, invocation.line);
  const at = (t: ArgToken, message: string, expected: string): never => {
    throw new MagicError(message, invocation.line, t.column, expected);
  };
  if (tokens.length === 0 || tokens[0].text === "list") {
    if (tokens[1]) tooMany(tokens[1], { name: "models", kind: "line", ...invocation }, USAGE);
    return { kind: "list" };
  }
  if (tokens[0].text !== "pull")
    at(tokens[0], `unknown %models command '${tokens[0].text}'.`, "'pull ORG/NAME', 'list' or nothing");
  const rest = tokens.slice(1);
  let repo: string | undefined;
  let revision: string | undefined;
  let force = false;
  for (let i = 0; i < rest.length; i++) {
    const t = rest[i];
    if (t.text === "--force") force = true;
    else if (t.text === "--revision") {
      const value = rest[++i];
      if (!value) at(t, "--revision needs a value.", "--revision main (a branch, tag or commit)");
      revision = value!.text;
    } else if (t.text.startsWith("--")) at(t, `unknown option '${t.text}'.`, "--revision REV or --force");
    else if (repo !== undefined) at(t, `unexpected argument '${t.text}'.`, "one ORG/NAME");
    else if (!/^[A-Za-z0-9][\w.-]*\/[A-Za-z0-9][\w.-]*$/.test(t.text))
      at(t, `'${t.text}' is not a Hub repo id.`, "ORG/NAME such as openai/clip-vit-base-patch16");
    else repo = t.text;
  }
  if (repo === undefined)
    throw new MagicError(
      "%models pull needs a repo id.",
      invocation.line,
      invocation.argsColumn + invocation.args.length,
      "%models pull openai/clip-vit-base-patch16",
    );
  return { kind: "pull", repo, revision, force };
}

export const modelsMagic: Magic = {
  name: "models",
  kinds: ["line"],
  summary: "List cached models (size, SHA-256, source) or pull one from the Hub.",
  usage: [
    "%models                                    table of the model cache ($MEDAD_CACHE, else ~/.cache/medad/models)",
    "%models pull ORG/NAME [--revision REV] [--force]",
    "                                           download a CLIP repo with a progress bar (resumes a partial pull)",
    "",
    "The list (medad.ModelEntry[]) is bound to `modelsResult`. Same as medad.models.list() / medad.models.pull(repo).",
  ].join("\n"),
  resultType: "ModelEntry[]",
  checkArgs: (invocation) => void parseModelsArgs(invocation),
  async run(invocation, ctx) {
    const command = parseModelsArgs(invocation);
    if (command.kind === "pull") {
      const result = await pullModelWithProgress(command.repo, { revision: command.revision, force: command.force });
      ctx.print(`${result.dir}\n`);
    }
    const models = listModels();
    if (models.length === 0) ctx.print("no models in the cache yet; fetch one with %models pull ORG/NAME\n");
    else display.table(modelsTable(models));
    return models;
  },
};
