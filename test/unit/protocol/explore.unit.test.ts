import * as assert from "assert";
import { EXPLORE_MIME, isExploreRequest, takeExploreRequest } from "../../../kernel/protocol/explorer";
import type { CellOutput } from "../../../kernel/protocol/outputs";

describe("explore requests in cell outputs", () => {
  const payload = { version: 1, colormap: "jet", mapRange: [0, 1], threshold: 0.5, alpha: 0.5, cases: [] };
  const request = { version: 1, methods: [{ method: "patchcore", payload }] };

  it("splits the request off and keeps the text note", () => {
    const output: CellOutput = {
      kind: "display",
      data: { [EXPLORE_MIME]: request, "text/plain": "Opened patchcore" },
      metadata: {},
    };
    const taken = takeExploreRequest(output);
    assert.deepStrictEqual(taken.request, request);
    assert.deepStrictEqual(taken.output, { kind: "display", data: { "text/plain": "Opened patchcore" }, metadata: {} });
  });

  it("leaves other outputs alone and ignores malformed requests", () => {
    const stream: CellOutput = { kind: "stream", name: "stdout", text: "x" };
    assert.deepStrictEqual(takeExploreRequest(stream), { output: stream });
    const bad: CellOutput = {
      kind: "display",
      data: { [EXPLORE_MIME]: { version: 2 }, "text/plain": "t" },
      metadata: {},
    };
    assert.strictEqual(takeExploreRequest(bad).request, undefined);
    assert.ok(!isExploreRequest({ version: 1, methods: [{ method: 1, payload }] }));
  });
});
