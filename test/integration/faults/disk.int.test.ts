// Fault suite, disks and sharing: a feature cache on a full disk (the run continues uncached and says so), the
// demo dataset on a full disk (a message, no stack), two concurrent runs sharing one feature cache (same scores,
// no torn entries). Checkpoints, notebook outputs and pulls on a full disk are in the other fault files.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as medad from "../../../kernel/api";
import { demoDatasetPath } from "../../../kernel/data/demo/paths";
import type { FewshotResult } from "../../../kernel/methods/result";
import { tinyClipModel } from "../../helpers/fixturePaths";
import { exited, fewshotChild, medad as cli, mountTmpfs, STACK_FRAME } from "./faultHelpers";
import { observed } from "./faultTable";

describe("faults: full disks and shared caches", function () {
  this.timeout(180_000);
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "medad-faults-disk-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const base = {
    dataset: demoDatasetPath(),
    method: "patchcore",
    shots: 2,
    seed: 0,
    model: tinyClipModel,
    maxTestImages: 8,
  };

  it("a feature cache on a full disk: the run continues uncached and its warnings name the cache and the fix", async function () {
    const mnt = path.join(dir, "mnt");
    const unmount = mountTmpfs(mnt, "16k");
    if (!unmount) return this.skip(); // needs root and tmpfs
    try {
      const r = await medad.fewshotInProcess({ ...base, featureCache: mnt });
      const uncached = await medad.fewshotInProcess({ ...base, featureCache: false });
      assert.deepStrictEqual(r.scores, uncached.scores, "the failed cache does not change the result");
      const w = (r.warnings ?? []).find((m) => m.startsWith(`feature cache ${mnt}`));
      assert.ok(w, JSON.stringify(r.warnings));
      assert.match(w, /ENOSPC.*the run continued without caching features\. The disk is full/);
      observed("disk", "feature cache on a full disk", "warns, continues uncached, same result", w);
    } finally {
      unmount();
    }
  });

  it("make-demo on a full disk: a message naming the folder and the fix, no stack", function () {
    const mnt = path.join(dir, "mnt");
    const unmount = mountTmpfs(mnt, "256k");
    if (!unmount) return this.skip(); // needs root and tmpfs
    try {
      const r = cli(["data", "make-demo", "--out", path.join(mnt, "demo")]);
      assert.strictEqual(r.code, 1);
      assert.match(r.stderr, /cannot write the demo dataset to .*mnt\/demo \(ENOSPC.*The disk is full/);
      assert.doesNotMatch(r.stderr, STACK_FRAME);
      assert.deepStrictEqual(fs.readdirSync(mnt), [], "the half-built folder is removed");
      observed("disk", "data make-demo on a full disk", "message naming the folder and fix, no stack", r.stderr.trim());
    } finally {
      unmount();
    }
  });

  it("two concurrent runs on one feature cache: both finish with the same scores, no torn entries", async () => {
    const cache = path.join(dir, "features");
    const files = [path.join(dir, "a.json"), path.join(dir, "b.json")];
    const children = files.map((f) => fewshotChild({ ...base, featureCache: cache }, f));
    const ends = await Promise.all(children.map(exited));
    assert.deepStrictEqual(
      ends.map((e) => e.code),
      [0, 0],
    );
    const [a, b] = files.map((f) => JSON.parse(fs.readFileSync(f, "utf8")) as { ok?: FewshotResult; error?: string });
    assert.ok(a.ok && b.ok, `${a.error ?? ""} ${b.error ?? ""}`);
    assert.deepStrictEqual(a.ok.scores, b.ok.scores);
    const entries: string[] = [];
    const walk = (d: string) =>
      fs
        .readdirSync(d, { withFileTypes: true })
        .forEach((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : entries.push(e.name)));
    walk(cache);
    assert.deepStrictEqual(
      entries.filter((e) => !e.endsWith(".safetensors")),
      [],
      "no temporary files left",
    );
    const third = await medad.fewshotInProcess({ ...base, featureCache: cache });
    assert.strictEqual(third.timings.featureCache!.misses, 0, "every entry written concurrently is readable");
    assert.deepStrictEqual(third.scores, a.ok.scores);
    observed(
      "disk",
      "two runs on one feature cache",
      "both finish, same scores, every entry readable afterwards",
      `${entries.length} entries; a third run hit all ${third.timings.featureCache!.hits} with identical scores`,
    );
  });
});
