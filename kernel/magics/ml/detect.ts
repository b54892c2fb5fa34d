/**
 * `%detect RESULT IMAGE… [--out DIR] [--window CENTER,WIDTH] [--as NAME]`: sugar over `medad.detect`. RESULT is a
 * variable holding a result or the path of a saved result (.json); the generated call is shown by %help and binds
 * a medad.DetectCallResult to `detectResult` (or NAME).
 */
import { handBackSlot, takeHandBack } from "../../api/magicResults";
import { MagicError } from "../errors";
import { CellStopped, type Magic, type MagicInvocation } from "../magic";
import { resultExpression, tokenizeArgs, type ArgToken } from "./resultArgs";
import { windowArg } from "./windowArg";

const USAGE = "%detect RESULT IMAGE… [--out DIR] [--window CENTER,WIDTH] [--as NAME]";

function valueOf(tokens: ArgToken[], i: number, invocation: MagicInvocation, expected: string): ArgToken {
  const t = tokens[i + 1];
  if (!t) throw new MagicError(`${tokens[i].text} needs a value.`, invocation.line, tokens[i].column, expected);
  return t;
}

/** The TypeScript %detect runs; it hands the value back under `handBackId` (magicResults.ts). */
export function detectCall(invocation: MagicInvocation, handBackId = 0): string {
  const tokens = tokenizeArgs(invocation.args, invocation.argsColumn, invocation.line);
  const first = tokens[0];
  if (!first) throw new MagicError("%detect needs a result and images.", invocation.line, invocation.argsColumn, USAGE);
  const result =
    first.quoted || /\.json$/i.test(first.text)
      ? JSON.stringify(first.text)
      : resultExpression(first, invocation, USAGE);
  const images: string[] = [];
  const options: string[] = [];
  for (let i = 1; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.quoted || !t.text.startsWith("--")) {
      images.push(t.text);
      continue;
    }
    if (t.text === "--out") options.push(`out: ${JSON.stringify(valueOf(tokens, i++, invocation, "a folder").text)}`);
    else if (t.text === "--window") {
      const v = valueOf(tokens, i++, invocation, "CENTER,WIDTH, e.g. 40,400");
      const w = windowArg(v, invocation);
      options.push(`window: { center: ${w.center}, width: ${w.width} }`);
    } else throw new MagicError(`unknown option ${t.text}.`, invocation.line, t.column, USAGE);
  }
  if (images.length === 0)
    throw new MagicError(
      "%detect needs at least one image, folder or NIfTI volume.",
      invocation.line,
      invocation.argsColumn + invocation.args.length,
      USAGE,
    );
  const opts = options.length ? `, { ${options.join(", ")} }` : "";
  return `medad.internal.handBack(${handBackId}, await medad.detect(${JSON.stringify(images)}, ${result}${opts}));`;
}

export const detectMagic: Magic = {
  name: "detect",
  kinds: ["line"],
  summary: "Score new images with a finished run's adapter and calibrated thresholds.",
  usage: [
    USAGE,
    "",
    "RESULT: a variable holding a FewshotResult (fresh or from %load) or a saved result file (.json, from %save).",
    "IMAGE: PNG/JPEG/DICOM files, folders of them, or NIfTI volumes (.nii/.nii.gz, scored slice by slice).",
    "Shows each image's score and decision (score > the result's calibrated image threshold) and a heatmap grid",
    "coloured on the result's calibrated range; --out DIR writes overlays/, masks/ (predicted masks) and",
    "detections.csv. --window sets the window of 16-bit DICOM/NIfTI inputs (default: the file's WindowCenter/",
    "WindowWidth or cal_min/cal_max, else its p0.5–p99.5); each image records the window it was read with.",
    "The result is bound to `detectResult` (or NAME). Same as await medad.detect([IMAGE…], RESULT, { out }).",
  ].join("\n"),
  resultType: "DetectCallResult",
  checkArgs: (invocation) => void detectCall(invocation),
  async run(invocation, ctx) {
    const id = handBackSlot();
    const status = await ctx.runCode(detectCall(invocation, id), invocation.line);
    const value = takeHandBack(id);
    if (status !== "ok") throw new CellStopped(status);
    return value;
  },
};
