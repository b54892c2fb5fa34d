// Child process for runtime.unit.test.ts: asks for device "auto" with a probe that says CUDA is usable while the
// provider libraries are absent. ONNX Runtime's native logger then prints its "Failed to load library" error straight
// to fd 2, which no in-process hook can capture; the parent test runs this file with piped stdio so the expected
// failure is read and asserted on instead of being printed in the test log. Prints one JSON line on stdout.
import { GraphBuilder } from "../../../kernel/engine/ir/builder";
import { encodeModel } from "../../../kernel/engine/onnx/writer";
import { createSession } from "../../../kernel/engine/runtime/session";

async function main(): Promise<void> {
  const b = new GraphBuilder("double");
  const x = b.input("x", "float32", ["n"]);
  b.output(b.mul(x, b.scalar(2)), "y", "float32", ["n"]);
  const s = await createSession(encodeModel(b.build()), { device: "auto", cudaProbe: () => null });
  const r = await s.run({ x: { data: Float32Array.of(4), dims: [1] } });
  await s.release();
  process.stdout.write(JSON.stringify({ device: s.device, y: [...r.y.data] }) + "\n");
}

main().catch((e: Error) => {
  process.stdout.write(JSON.stringify({ error: e.message }) + "\n");
  process.exitCode = 1;
});
