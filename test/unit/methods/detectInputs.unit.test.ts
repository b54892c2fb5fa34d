// What detect accepts and how it names it: files as given, folder contents relative to the working folder (absolute
// outside it, never "../../…"), NIfTI slices as <volume>#<z> with the window their PNG was written with.
import * as assert from "assert";
import * as path from "path";
import { resolveDetectInputs } from "../../../kernel/methods/detect/inputs";
import { encodeNifti } from "../../helpers/niftiEncode";
import { greyPng, rmTree, tempDir, write } from "../../helpers/tempTree";

describe("detect inputs", () => {
  let root: string;
  beforeEach(() => (root = tempDir()));
  afterEach(() => rmTree(root));

  it("names folder contents absolutely outside the working folder and relatively inside it", () => {
    write(root, "new/b.png", greyPng(4, 4));
    write(root, "new/sub/a.png", greyPng(4, 4));
    const outside = resolveDetectInputs(path.join(root, "new"));
    assert.deepStrictEqual(
      outside.inputs.map((i) => i.name),
      [path.join(root, "new", "b.png"), path.join(root, "new", "sub", "a.png")],
    );
    const cwd = process.cwd();
    try {
      process.chdir(root);
      assert.deepStrictEqual(
        resolveDetectInputs("new").inputs.map((i) => i.name),
        [path.join("new", "b.png"), path.join("new", "sub", "a.png")],
      );
    } finally {
      process.chdir(cwd);
    }
  });

  it("scores NIfTI slice by slice, each slice carrying the volume's window", () => {
    const values = Array.from({ length: 4 * 4 * 3 }, (_, i) => i);
    const vol = write(root, "v.nii", encodeNifti({ dims: [4, 4, 3], datatype: 4, values, cal: { min: 0, max: 40 } }));
    const r = resolveDetectInputs([vol], { sliceRange: [1, 2] });
    try {
      assert.deepStrictEqual(
        r.inputs.map((i) => i.name),
        [`${vol}#1`, `${vol}#2`],
      );
      r.inputs.forEach((i) => assert.deepStrictEqual(i.window, { center: 20, width: 40, source: "nifti-cal" }));
    } finally {
      r.dispose();
    }
  });
});
