import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { isValidCellId, withCellIds } from "../../../kernel/notebook/cellIds";
import { writeNotebook, type Ipynb, type IpynbCell } from "../../../kernel/notebook/ipynb";

const cell = (extra: Partial<IpynbCell> = {}): IpynbCell => ({
  cell_type: "code",
  source: "1",
  metadata: {},
  outputs: [],
  ...extra,
});

describe("notebook cell ids (nbformat 4.5)", () => {
  it("keeps valid ids and gives every other cell a valid, unique one", () => {
    const nb: Ipynb = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: [
        cell({ id: "keep-me_1" }),
        cell(),
        cell({ id: "has space" }),
        cell({ id: "keep-me_1" }),
        cell({ id: "x".repeat(65) }),
      ],
    };
    const out = withCellIds(nb);
    const ids = out.cells.map((c) => c.id);
    assert.strictEqual(ids[0], "keep-me_1");
    assert.ok(ids.every(isValidCellId), JSON.stringify(ids));
    assert.strictEqual(new Set(ids).size, ids.length, `ids repeat: ${JSON.stringify(ids)}`);
    assert.strictEqual(nb.cells[1].id, undefined, "the input notebook is not modified");
  });

  it("marks a 4.0–4.4 notebook as 4.5, and every saved cell carries an id", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "medad-ids-"));
    try {
      const file = path.join(dir, "a.ipynb");
      writeNotebook(file, {
        nbformat: 4,
        nbformat_minor: 2,
        metadata: {},
        cells: [cell(), cell({ cell_type: "markdown" })],
      });
      const saved = JSON.parse(fs.readFileSync(file, "utf8")) as Ipynb;
      assert.strictEqual(saved.nbformat_minor, 5);
      assert.ok(
        saved.cells.every((c) => isValidCellId(c.id)),
        JSON.stringify(saved.cells),
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("accepts exactly 1–64 characters of letters, digits, '-' and '_'", () => {
    for (const ok of ["a", "A-9_z", "x".repeat(64)]) assert.ok(isValidCellId(ok), ok);
    for (const bad of ["", "x".repeat(65), "a.b", "é", 12]) assert.ok(!isValidCellId(bad), String(bad));
  });
});
