import * as assert from "assert";
import { makeProgressPrinter, progressText } from "../../../kernel/cli/progressPrinter";

describe("download progress lines", () => {
  it("shows bytes, percent, rate and ETA", () => {
    const text = progressText({
      file: "model.safetensors",
      received: 12 * 1024 * 1024,
      total: 48 * 1024 * 1024,
      bytesPerSecond: 4 * 1024 * 1024,
      etaSeconds: 9,
    });
    assert.strictEqual(text, "model.safetensors  12.0 MiB / 48.0 MiB  25.0%  4.0 MiB/s  ETA 9s");
    assert.strictEqual(progressText({ file: "f", received: 10, bytesPerSecond: 0 }), "f  10 B  0 B/s");
  });

  it("throttles updates and always prints the final state", () => {
    let t = 0;
    const lines: string[] = [];
    const p = makeProgressPrinter(
      (s) => lines.push(s),
      false,
      () => t,
    );
    const at = (received: number) => ({ file: "f", received, total: 100, bytesPerSecond: 1 });
    p.update(at(1)); // first update prints
    t = 1000;
    p.update(at(50)); // within 5 s: held back
    t = 2000;
    p.update(at(100));
    p.finish();
    assert.deepStrictEqual(
      lines.map((l) => l.split("  ")[2]),
      ["1.0%", "100.0%"],
    );
  });

  it("does not repeat a final state that is already shown", () => {
    const lines: string[] = [];
    const p = makeProgressPrinter(
      (s) => lines.push(s),
      false,
      () => 0,
    );
    p.update({ file: "config.json", received: 315, total: 315, bytesPerSecond: 1 });
    p.update({ file: "config.json", received: 315, total: 315, bytesPerSecond: 1 });
    p.finish();
    assert.strictEqual(lines.length, 1);
  });
});
