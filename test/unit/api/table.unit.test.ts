import * as assert from "assert";
import { tableBundle, tableToText } from "../../../kernel/api/table";
import { TABLE_MIME } from "../../../kernel/protocol/table";

describe("table bundles", () => {
  const table = {
    title: "AUROC",
    columns: ["method", "image"],
    rows: [
      ["mvfa", 0.91234],
      ["<b>x</b>", 1],
    ],
  };

  it("carries our MIME plus HTML and text forms", () => {
    const bundle = tableBundle(table);
    assert.deepStrictEqual(bundle[TABLE_MIME], table);
    assert.match(bundle["text/html"] as string, /<caption>AUROC<\/caption>/);
    assert.match(bundle["text/html"] as string, /&lt;b&gt;x&lt;\/b&gt;/);
    assert.strictEqual(bundle["text/plain"], tableToText(table));
  });

  it("aligns the text form and rounds fractions to 4 digits", () => {
    assert.strictEqual(
      tableToText(table),
      ["AUROC", "method    image", "--------  ------", "mvfa      0.9123", "<b>x</b>  1"].join("\n"),
    );
  });

  it("rejects rows that do not match the columns", () => {
    assert.throws(() => tableBundle({ columns: ["a", "b"], rows: [[1]] }), /row has 1 cells but there are 2 columns/);
  });
});
