import { KernelClient, type ExecutionResult } from "../../kernel/client/kernelClient";
import { appendOutput, type CellOutput } from "../../kernel/protocol/outputs";

export interface Ran extends ExecutionResult {
  outputs: CellOutput[];
  /** performance.now() when each output arrived, to check that output streams while a cell runs. */
  arrivals: number[];
  text: string;
  errors: Array<{ ename: string; evalue: string; traceback: string[] }>;
}

/** Runs a cell and gathers what it produced, as the extension and the CLI do. */
export async function run(kernel: KernelClient, code: string): Promise<Ran> {
  let outputs: CellOutput[] = [];
  const arrivals: number[] = [];
  const result = await kernel.execute(code, (o, update) => {
    arrivals.push(performance.now());
    outputs = appendOutput(outputs, o, update);
  });
  const text = outputs
    .map((o) => (o.kind === "stream" ? o.text : o.kind === "display" ? String(o.data["text/plain"] ?? "") + "\n" : ""))
    .join("");
  const errors = outputs.filter((o): o is Extract<CellOutput, { kind: "error" }> => o.kind === "error");
  return { ...result, outputs, arrivals, text, errors };
}
