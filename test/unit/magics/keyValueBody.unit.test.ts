import * as assert from "assert";
import { MagicError } from "../../../kernel/magics/errors";
import { parseKeyValueBody, type BodySchema } from "../../../kernel/magics/keyValueBody";

const schema: BodySchema = {
  dataset: { type: "path", description: "dataset folder", required: true },
  method: { type: "enum", values: ["mvfa", "madclip", "zero-shot"], description: "method" },
  shots: { type: "integer", min: 1, max: 64, description: "images per class" },
  lr: { type: "number", min: 0, description: "learning rate" },
  seeds: { type: "list", of: "integer", description: "seeds" },
  cache: { type: "boolean", description: "reuse features" },
  name: { type: "string", description: "run name" },
};

function values(body: string): Record<string, unknown> {
  return Object.fromEntries([...parseKeyValueBody(body, schema, 2)].map(([k, e]) => [k, e.value]));
}

function fails(body: string, check: (e: MagicError) => boolean): void {
  assert.throws(
    () => parseKeyValueBody(body, schema, 2),
    (e: unknown) => e instanceof MagicError && check(e),
  );
}

describe("parseKeyValueBody", () => {
  it("reads typed values, comments, quotes and lists", () => {
    const body = [
      "dataset: ./data/Brain_AD        # MVFA layout",
      "# a full-line comment",
      "",
      "method: mvfa",
      "shots: 4",
      "lr: 1e-3",
      "seeds: [1, 2, 3]",
      "cache: yes",
      'name: "run #1"',
    ].join("\n");
    assert.deepStrictEqual(values(body), {
      dataset: "./data/Brain_AD",
      method: "mvfa",
      shots: 4,
      lr: 0.001,
      seeds: [1, 2, 3],
      cache: true,
      name: "run #1",
    });
  });

  it("keeps a # that is part of a value", () => {
    assert.strictEqual(values("dataset: ./data/set#2")["dataset"], "./data/set#2");
  });

  it("records the cell line and value column of each entry", () => {
    const entry = parseKeyValueBody("\n  shots:   8\ndataset: d", schema, 2).get("shots")!;
    assert.deepStrictEqual([entry.line, entry.column], [3, 12]);
  });

  it("names an unknown key, its position and the nearest valid key", () => {
    fails(
      "dataset: d\nshot: 4",
      (e) =>
        e.line === 3 &&
        e.column === 1 &&
        e.suggestion === "shots" &&
        /unknown key 'shot'/.test(e.message) &&
        /dataset, method/.test(e.expected ?? ""),
    );
  });

  it("gives no suggestion when nothing is close", () => {
    fails("dataset: d\nbanana: 4", (e) => e.suggestion === undefined);
  });

  it("rejects values of the wrong type with what was expected", () => {
    fails(
      "dataset: d\nshots: four",
      (e) => e.line === 3 && e.column === 8 && /whole number from 1 to 64/.test(e.expected ?? ""),
    );
    fails("dataset: d\nshots: 2.5", (e) => /whole number/.test(e.expected ?? ""));
    fails("dataset: d\nshots: 100", (e) => /from 1 to 64/.test(e.expected ?? ""));
    fails("dataset: d\ncache: maybe", (e) => /true or false/.test(e.expected ?? ""));
    fails("dataset: d\nseeds: [1, x]", (e) => /list of integers/.test(e.expected ?? ""));
  });

  it("suggests the nearest enum value", () => {
    fails(
      "dataset: d\nmethod: mvfaa",
      (e) => e.suggestion === "mvfa" && /mvfa \| madclip \| zero-shot/.test(e.expected ?? ""),
    );
  });

  it("rejects lines without a colon, duplicated keys and missing required keys", () => {
    fails("dataset d", (e) => e.line === 2 && /not a 'key: value' line/.test(e.message));
    fails("dataset: a\ndataset: b", (e) => e.line === 3 && /given twice \(first on line 2\)/.test(e.message));
    fails("shots: 4", (e) => /missing required key 'dataset'/.test(e.message));
  });
});
