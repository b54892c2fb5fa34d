// MadCLIP's centre-zoom versions (data/augment.ts centreZoom) against MadCLIP's own utils.zoom_img
// (test/fixtures/parity/make_parity.py) on support_0 at 56 px: crop side int(S/f) at offset (S − int(S/f)) // 2,
// bilinear (align_corners=False) back to S. At 56 px the factor 1.3 leaves an odd margin (13 px), where the crop
// offset's rounding matters. Tolerance: 1e-5 + 1e-4·max|b| (float32 both sides).
import * as assert from "assert";
import * as path from "path";
import { centreZoom } from "../../../kernel/data/augment";
import { SafetensorsFile } from "../../../kernel/engine/weights/safetensors";
import { parityFixtures } from "../../helpers/fixturePaths";
import { readRef } from "../engine/clipLoad";
import { compare, fmt } from "../engine/helpers";

const S = 56;

describe("data/augment: MadCLIP's centre zooms vs MadCLIP utils.zoom_img (parity fixture)", () => {
  const ref = SafetensorsFile.open(path.join(parityFixtures, "madclip_zoom.safetensors"));
  const support = readRef("pre.safetensors")
    .readFloat32("pixels_mvfa")
    .data.slice(3 * 3 * S * S, 4 * 3 * S * S);
  for (const f of [1.1, 1.15, 1.2, 1.3]) {
    it(`zoom ×${f}`, function () {
      const got = centreZoom({ dims: [3, S, S], data: support }, f).data;
      const d = compare(got, ref.readFloat32(`zoom_${f}`).data);
      this.test!.title += ` — ${fmt(d)}`;
      assert.ok(d.ok, fmt(d));
    });
  }
});
