// The demo-clip corpus holdout (issue 17): nothing from Colin27 / BrainWeb / the demo lesion generator / GPL packages
// may be read or written by the corpus builder. Checks the builder's source list and the origin filter itself; the
// built manifest is checked in test/integration/data/corpus.int.test.ts.
import * as assert from "assert";
import { CORPUS_SOURCES, holdoutViolation, quotas } from "../../../kernel/data/corpus";
import { captionFor } from "../../../kernel/data/corpus/captions";
import { Rng } from "../../../kernel/util/random/rng";

const FORBIDDEN_EXAMPLES = [
  "deb:mricron-data:/usr/share/mricron/templates/ch2bet.nii.gz",
  "deb:mricron-data:/usr/share/mricron/templates/ch2better.nii.gz#axial/70",
  "deb:insighttoolkit5-examples:/usr/share/doc/insighttoolkit5-examples/examples/Data/BrainT1Slice.png",
  "deb:insighttoolkit5-examples:/usr/share/doc/insighttoolkit5-examples/examples/Data/BrainProtonDensitySlice.png",
  "deb:insighttoolkit5-examples:/usr/share/doc/insighttoolkit5-examples/examples/Data/BrainWeb/brainweb1e1a10f20.mha",
  "repo:data/demo-brainmri/Brain_AD/test/good/img/00004_57.png",
  "repo:data/source/colin27/ch2bet.nii.gz",
  "deb:invesalius-examples:/usr/share/doc/invesalius-examples/examples/Cranium.inv3",
  "deb:octave-dicom:/usr/share/octave/packages/dicom-0.5.1/imdata/CT-MONO2-16-ankle.dcm",
  "deb:elastix-doc:/usr/share/doc/elastix/help/exampleinput/moving.mhd",
  // An allowed prefix does not whitelist a forbidden file inside it.
  "deb:python3-skimage:/usr/lib/python3/dist-packages/skimage/data/microaneurysms.png",
  "deb:python3-nibabel:/usr/lib/python3/dist-packages/nibabel/tests/data/ch2.nii.gz",
];

describe("corpus holdout", () => {
  it("refuses Colin27, BrainWeb, demo-set and GPL origins", () => {
    for (const o of FORBIDDEN_EXAMPLES) assert.ok(holdoutViolation(o), `${o} should be refused`);
  });

  it("refuses origins outside the allow-list", () => {
    assert.match(holdoutViolation("deb:dicom3tools:/usr/share/doc/dicom3tools/examples/0051.dcm") ?? "", /allow-list/);
    assert.match(holdoutViolation("/tmp/some.png") ?? "", /allow-list/);
  });

  it("lets every file of every builder source through, and no source is GPL", () => {
    assert.ok(CORPUS_SOURCES.length >= 10);
    const ids = new Set<string>();
    for (const src of CORPUS_SOURCES) {
      assert.ok(!ids.has(src.id), `duplicate source id ${src.id}`);
      ids.add(src.id);
      assert.doesNotMatch(src.licence, /GPL/i, src.id);
      assert.match(src.pkg, /^(deb|npm):[a-z0-9.+-]+$/, src.id);
      for (const f of src.files) {
        const origin = `${src.pkg}:${f}`;
        assert.strictEqual(holdoutViolation(origin), undefined, `${src.id}: ${origin}`);
      }
    }
  });

  it("splits the corpus size exactly over the weights", () => {
    assert.deepStrictEqual(quotas([1, 1, 1], 10), [4, 3, 3]);
    const q = quotas(CORPUS_SOURCES.map((s) => s.weight), 4000);
    assert.strictEqual(q.reduce((a, b) => a + b, 0), 4000);
    assert.ok(q.every((n) => n > 0));
  });

  it("captions medical copies by state: abnormal ones name an anomaly, normal ones never do", () => {
    const rng = new Rng(3);
    const subjects = [
      { modality: "MRI", organ: "brain", view: "axial" as const },
      { modality: "fundus photograph", organ: "retina" },
      { modality: "histology image", organ: "colon tissue" },
    ];
    for (const s of subjects) {
      for (let i = 0; i < 20; i++) {
        const bad = captionFor(s, "abnormal", rng);
        const good = captionFor(s, "normal", rng);
        assert.match(bad, /abnormal|lesion|anomaly/, bad);
        assert.doesNotMatch(good, /abnormal region|lesion|anomaly|abnormal [a-z]/, good);
        assert.match(good, new RegExp(s.organ.split(" ")[0]), good);
      }
    }
    const axial = captionFor({ modality: "MRI", organ: "brain", view: "axial" }, "normal", new Rng(1));
    assert.match(axial, /^an axial /);
  });
});
