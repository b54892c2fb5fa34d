import * as assert from "assert";
import {
  isPanelToHostMessage,
  isRendererToHostMessage,
  mergeMethods,
  rowsToCsv,
  selectRows,
  type ShowResultsMessage,
} from "../../../kernel/protocol/explorer";
import type { HeatmapPayload } from "../../../kernel/protocol/viz";

function result(cases: [string, number, 0 | 1 | null][]): HeatmapPayload {
  return {
    version: 1,
    colormap: "jet",
    mapRange: [0, 1],
    threshold: 0.5,
    alpha: 0.5,
    cases: cases.map(([id, score, label]) => ({
      id,
      score,
      label,
      width: 1,
      height: 1,
      channels: 1,
      image: "AA==",
      map: "AA==",
    })),
  };
}

describe("results explorer table", () => {
  const methods: ShowResultsMessage["methods"] = [
    {
      method: "A",
      payload: result([
        ["n1", 0.2, 0],
        ["n2", 0.7, 0],
        ["a1", 0.9, 1],
        ["a2", 0.3, 1],
      ]),
    },
    {
      method: "B",
      payload: result([
        ["a2", 0.8, 1],
        ["n1", 0.1, 0],
        ["x", 0.5, null],
      ]),
    },
  ];
  const rows = mergeMethods(methods);

  it("lines methods up by case id, with gaps where a method lacks a case", () => {
    assert.deepStrictEqual(
      rows.map((r) => [r.id, r.label, r.scores]),
      [
        ["n1", 0, [0.2, 0.1]],
        ["n2", 0, [0.7, null]],
        ["a1", 1, [0.9, null]],
        ["a2", 1, [0.3, 0.8]],
        ["x", null, [null, 0.5]],
      ],
    );
  });

  it("sorts by the chosen method's score, missing scores last", () => {
    assert.deepStrictEqual(
      selectRows(rows, "all", 0, 0.5).map((r) => r.id),
      ["a1", "n2", "a2", "n1", "x"],
    );
    assert.deepStrictEqual(
      selectRows(rows, "all", 1, 0.5).map((r) => r.id),
      ["a2", "x", "n1", "a1", "n2"],
    );
  });

  it("filters labels and false positives / negatives at the threshold for that method", () => {
    assert.deepStrictEqual(
      selectRows(rows, "anomalous", 0, 0.5).map((r) => r.id),
      ["a1", "a2"],
    );
    assert.deepStrictEqual(
      selectRows(rows, "normal", 0, 0.5).map((r) => r.id),
      ["n2", "n1"],
    );
    assert.deepStrictEqual(
      selectRows(rows, "false positives", 0, 0.5).map((r) => r.id),
      ["n2"],
    );
    assert.deepStrictEqual(
      selectRows(rows, "false negatives", 0, 0.5).map((r) => r.id),
      ["a2"],
    );
    assert.deepStrictEqual(
      selectRows(rows, "false negatives", 1, 0.5).map((r) => r.id),
      [],
      "B ranks a2 above the threshold; a1 has no B score",
    );
  });

  it("writes RFC 4180 CSV with quoted fields where needed", () => {
    const csv = rowsToCsv([{ id: 'a,"b"', label: 1, scores: [0.5, null] }], ["A", "B"]);
    assert.strictEqual(csv, 'id,label,score A,score B\r\n"a,""b""",1,0.5,\r\n');
  });

  it("accepts only well-formed messages", () => {
    assert.ok(isRendererToHostMessage({ type: "openInExplorer", method: "A", payload: result([]) }));
    assert.ok(!isRendererToHostMessage({ type: "openInExplorer", method: "A", payload: { version: 2 } }));
    assert.ok(isPanelToHostMessage({ type: "exportCsv", fileName: "x.csv", csv: "" }));
    assert.ok(!isPanelToHostMessage({ type: "exportPng", fileName: "x.png" }));
    assert.ok(!isPanelToHostMessage({ type: "writeFile", path: "/etc/passwd" }));
  });
});
