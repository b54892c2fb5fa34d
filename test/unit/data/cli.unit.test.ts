import * as assert from "assert";
import * as path from "path";
import { main } from "../../../kernel/cli/main";
import { mvfaTree, rmTree, tempDir, write } from "../../helpers/tempTree";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

describe("medad data", () => {
  let root: string;
  beforeEach(() => (root = tempDir()));
  afterEach(() => rmTree(root));

  it("info prints the table and exits 0 for a clean set", async () => {
    const c = capture();
    const code = await main(["data", "info", path.resolve(__dirname, "../../../../data/demo-brainmri")], c.io);
    assert.strictEqual(code, 0, c.err.join(""));
    assert.match(c.out.join(""), /Brain\tvalid\t16\t16\t0\t16/);
  });

  it("info exits 1 and lists the errors of a broken set; --json gives machine-readable issues", async () => {
    const dir = mvfaTree(root);
    write(dir, "test/Ungood/anomaly_mask/orphan.png", Buffer.from("x"));
    const c = capture();
    assert.strictEqual(await main(["data", "info", dir], c.io), 1);
    assert.match(c.out.join(""), /error: 1 mask files with no image/);
    const j = capture();
    await main(["data", "info", dir, "--json"], j.io);
    assert.strictEqual(JSON.parse(j.out.join("")).issues[0].code, "mask-without-image");
  });

  it("info reports a missing path on stderr with exit 1; bad options are usage errors", async () => {
    const c = capture();
    assert.strictEqual(await main(["data", "info", path.join(root, "absent")], c.io), 1);
    assert.match(c.err.join(""), /absent: no such file or folder/);
    const u = capture();
    assert.strictEqual(await main(["data", "info", root, "--layout", "zip"], u.io), 2);
    assert.strictEqual(await main(["data", "make-demo", "--seed", "-3"], u.io), 2);
    assert.match(u.err.join(""), /--seed must be a non-negative integer/);
  });
});
