import * as assert from "assert";
import { isHostMessage, isKernelMessage } from "../../../kernel/protocol/messages";
import { appendOutput, isBinaryMime, isJsonMime, type CellOutput } from "../../../kernel/protocol/outputs";

const out = (text: string, name: "stdout" | "stderr" = "stdout"): CellOutput => ({ kind: "stream", name, text });
const disp = (text: string, displayId?: string): CellOutput => ({
  kind: "display",
  data: { "text/plain": text },
  metadata: {},
  displayId,
});

describe("appendOutput", () => {
  it("merges consecutive chunks of the same stream", () => {
    const list = [out("a"), out("b"), out("c", "stderr"), out("d", "stderr"), out("e")].reduce<CellOutput[]>(
      (acc, o) => appendOutput(acc, o),
      [],
    );
    assert.deepStrictEqual(list, [out("ab"), out("cd", "stderr"), out("e")]);
  });

  it("does not merge streams across a display", () => {
    const list = [out("a"), disp("x"), out("b")].reduce<CellOutput[]>((acc, o) => appendOutput(acc, o), []);
    assert.strictEqual(list.length, 3);
  });

  it("replaces a display with the same id in place", () => {
    let list = appendOutput([], disp("10%", "p"));
    list = appendOutput(list, out("log"));
    list = appendOutput(list, disp("50%", "p"), true);
    assert.deepStrictEqual(list, [disp("50%", "p"), out("log")]);
  });

  it("ignores an update for a display it never showed", () => {
    assert.deepStrictEqual(appendOutput([out("a")], disp("x", "ghost"), true), [out("a")]);
  });

  it("does not mutate its input", () => {
    const list = [out("a")];
    appendOutput(list, out("b"));
    assert.deepStrictEqual(list, [out("a")]);
  });
});

describe("MIME kinds", () => {
  it("tells JSON and binary payloads apart", () => {
    assert.ok(isJsonMime("application/json") && isJsonMime("application/vnd.medad.roc+json"));
    assert.ok(!isJsonMime("text/plain") && !isJsonMime("image/png"));
    assert.ok(isBinaryMime("image/png") && isBinaryMime("application/pdf"));
    assert.ok(!isBinaryMime("image/svg+xml") && !isBinaryMime("text/html"));
  });
});

describe("message guards", () => {
  it("accept well-formed messages and reject others", () => {
    assert.ok(isHostMessage({ type: "execute", execId: 1, code: "1" }));
    assert.ok(isHostMessage({ type: "shutdown" }));
    assert.ok(!isHostMessage({ type: "execute", execId: "1", code: "1" }));
    assert.ok(!isHostMessage(null));
    assert.ok(isKernelMessage({ type: "done", execId: 1, status: "ok", durationMs: 1 }));
    assert.ok(!isKernelMessage({ type: "nope" }));
  });
});
