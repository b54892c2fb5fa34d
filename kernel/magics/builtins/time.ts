import { CellStopped, type Magic } from "../magic";
import type { TimingResult } from "../../api/timingResult";

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;
}

export const timeMagic: Magic = {
  name: "time",
  kinds: ["cell", "line"],
  summary: "Run TypeScript and report its wall-clock and CPU time.",
  usage: [
    "%%time [--as NAME]      (first line of a cell; the rest of the cell is TypeScript)",
    "%time <statement>       (one line of TypeScript)",
    "",
    "Prints 'Wall time: …, CPU: user …, system …'. The result (a medad.TimingResult) is bound to",
    "`timeResult`, or to NAME with --as.",
  ].join("\n"),
  resultType: "TimingResult",
  async run(invocation, ctx) {
    const code = invocation.kind === "cell" ? (invocation.body ?? "") : invocation.args;
    const line = invocation.kind === "cell" ? (invocation.bodyLine ?? invocation.line + 1) : invocation.line;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const status = code.trim() === "" ? "ok" : await ctx.runCode(code, line);
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const result: TimingResult = { wallMs, cpuUserMs: cpu.user / 1000, cpuSystemMs: cpu.system / 1000, status };
    ctx.print(
      `Wall time: ${formatMs(wallMs)}, CPU: user ${formatMs(result.cpuUserMs)}, system ${formatMs(result.cpuSystemMs)}\n`,
    );
    if (status !== "ok") throw new CellStopped(status);
    return result;
  },
};
