// Downloads against a loopback fake Hub serving the tiny-CLIP model folder.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DownloadProgress, listCachedModels, pullModel, REQUIRED_FILES } from "../../../kernel/models";
import { FakeHub, startFakeHub } from "../../helpers/fakeHub";
import { tinyClipModel } from "../../helpers/fixturePaths";

const REPO = "medad-test/tiny-clip";
const modelDir = (cache: string) => path.join(cache, "medad-test--tiny-clip");
const sameBytes = (a: string, b: string) => fs.readFileSync(a).equals(fs.readFileSync(b));
const WEIGHTS = "model.safetensors";

describe("pullModel (loopback hub)", function () {
  let hub: FakeHub;
  let cache: string;

  beforeEach(async () => {
    cache = fs.mkdtempSync(path.join(os.tmpdir(), "medad-cache-"));
    hub = await startFakeHub(REPO, tinyClipModel);
  });
  afterEach(async () => {
    await hub.close();
    fs.rmSync(cache, { recursive: true, force: true });
  });

  const pull = (extra: Partial<Parameters<typeof pullModel>[0]> = {}) =>
    pullModel({ repo: REPO, cacheRoot: cache, endpoint: hub.endpoint, retryDelayMs: 1, ...extra });

  it("downloads every file, verifies the LFS weights by the hub's SHA-256 and reports progress", async () => {
    const progress: DownloadProgress[] = [];
    const result = await pull({ onProgress: (p) => progress.push(p) });
    assert.strictEqual(result.dir, modelDir(cache));
    for (const f of [...REQUIRED_FILES, "tokenizer_config.json"])
      assert.ok(sameBytes(path.join(result.dir, f), path.join(tinyClipModel, f)), f);
    assert.ok(!fs.readdirSync(result.dir).some((f) => f.endsWith(".partial")));
    const manifest = JSON.parse(fs.readFileSync(path.join(result.dir, "medad-model.json"), "utf8"));
    assert.strictEqual(manifest.files[WEIGHTS].verifiedBy, "etag");
    assert.strictEqual(manifest.files["config.json"].verifiedBy, "none"); // a SHA-1 ETag cannot be checked
    const weights = progress.filter((p) => p.file === WEIGHTS);
    const size = fs.statSync(path.join(tinyClipModel, WEIGHTS)).size;
    assert.ok(weights.length > 1);
    assert.ok(weights.every((p) => p.total === size));
    assert.strictEqual(weights[weights.length - 1].received, size);
    assert.ok(weights.every((p, i) => i === 0 || p.received >= weights[i - 1].received));
  });

  it("resumes with a Range request after the connection breaks mid-file", async () => {
    hub.faults.cut = { file: WEIGHTS, afterBytes: 1_000_000, times: 1 };
    const retries: string[] = [];
    const result = await pull({ onFileEvent: (e) => e.kind === "retry" && retries.push(`${e.file} ${e.attempt}`) });
    assert.deepStrictEqual(retries, [`${WEIGHTS} 1`]);
    assert.ok(sameBytes(path.join(result.dir, WEIGHTS), path.join(tinyClipModel, WEIGHTS)));
    const cdn = hub.log.filter((r) => r.path === `/cdn/${WEIGHTS}`);
    assert.strictEqual(cdn.length, 2);
    assert.strictEqual(cdn[0].range, undefined);
    const resumeAt = Number(/^bytes=(\d+)-$/.exec(cdn[1].range ?? "")?.[1]);
    assert.ok(resumeAt > 0 && resumeAt <= 1_000_000, `resumed at ${cdn[1].range}`);
  });

  it("starts over cleanly when the server ignores Range", async () => {
    hub.faults.cut = { file: WEIGHTS, afterBytes: 300_000, times: 1 };
    hub.faults.ignoreRange = true;
    const result = await pull();
    assert.ok(sameBytes(path.join(result.dir, WEIGHTS), path.join(tinyClipModel, WEIGHTS)));
  });

  it("refuses a file whose SHA-256 does not match and does not install it", async () => {
    hub.faults.corrupt = [WEIGHTS];
    await assert.rejects(pull(), (err: Error) => {
      assert.match(err.message, /^model\.safetensors: SHA-256 mismatch/);
      assert.match(err.message, /not installed; run pull again/);
      return true;
    });
    assert.ok(!fs.existsSync(path.join(modelDir(cache), WEIGHTS)));
    assert.ok(!fs.existsSync(path.join(modelDir(cache), `${WEIGHTS}.partial`)));
    assert.strictEqual(listCachedModels(cache)[0].complete, false);
  });

  it("checks digests from a user checksum list, overriding the hub", async () => {
    const wrong = new Map([["vocab.json", "0".repeat(64)]]);
    await assert.rejects(pull({ checksums: wrong }), /vocab\.json: SHA-256 mismatch: expected 0{64} \(checksum file\)/);
    assert.ok(!fs.existsSync(path.join(modelDir(cache), "vocab.json")));
  });

  it("names the file and the fix on a 404 of a required file, and skips a missing optional file", async () => {
    hub.faults.missing = [WEIGHTS];
    await assert.rejects(
      pull(),
      /medad-test\/tiny-clip at revision 'main' has config\.json but none of model\.safetensors, pytorch_model\.bin \(HTTP 404\)/,
    );
    hub.faults.missing = ["tokenizer_config.json"];
    const result = await pull();
    assert.deepStrictEqual(result.absent, ["tokenizer_config.json"]);
    assert.strictEqual(listCachedModels(cache)[0].complete, true);
    await assert.rejects(
      pullModel({ repo: "medad-test/other", cacheRoot: cache, endpoint: hub.endpoint }),
      /medad-test\/other at revision 'main' has no known CLIP file set \(tried config\.json, open_clip_config\.json\)/,
    );
  });

  it("resumes an interrupted run in a second pull, keeping the bytes already received", async () => {
    hub.faults.cut = { file: WEIGHTS, afterBytes: 2_000_000, times: 1 };
    await assert.rejects(
      pull({ maxRetries: 0 }),
      /model\.safetensors: download failed.*run the same pull again to resume/s,
    );
    const partial = path.join(modelDir(cache), `${WEIGHTS}.partial`);
    const kept = fs.statSync(partial).size;
    assert.ok(kept > 0 && kept <= 2_000_000);
    const listed = listCachedModels(cache)[0];
    assert.strictEqual(listed.complete, false);
    assert.deepStrictEqual(
      listed.partial.map((p) => p.file),
      [WEIGHTS],
    );
    assert.strictEqual(listed.partial[0].total, fs.statSync(path.join(tinyClipModel, WEIGHTS)).size);

    const before = hub.log.length;
    const events: string[] = [];
    const result = await pull({
      onFileEvent: (e) =>
        events.push(
          e.kind === "done" ? `${e.kind}:${e.file}:${e.resumedFrom}` : `${e.kind}:${"file" in e ? e.file : ""}`,
        ),
    });
    assert.ok(sameBytes(path.join(result.dir, WEIGHTS), path.join(tinyClipModel, WEIGHTS)));
    assert.ok(events.includes("present:config.json"));
    assert.ok(events.includes(`done:${WEIGHTS}:${kept}`));
    assert.deepStrictEqual(
      hub.log
        .slice(before)
        .filter((r) => r.path.startsWith("/cdn/"))
        .map((r) => r.range),
      [`bytes=${kept}-`],
    );
    assert.strictEqual(listCachedModels(cache)[0].complete, true);
  });

  it("re-downloads present files with force", async () => {
    await pull();
    fs.writeFileSync(path.join(modelDir(cache), "config.json"), "{}");
    await pull();
    assert.strictEqual(fs.readFileSync(path.join(modelDir(cache), "config.json"), "utf8"), "{}");
    await pull({ force: true });
    assert.ok(sameBytes(path.join(modelDir(cache), "config.json"), path.join(tinyClipModel, "config.json")));
  });

  it("starts a leftover partial over when the file has no digest to verify the resumed bytes", async () => {
    fs.mkdirSync(modelDir(cache), { recursive: true });
    fs.writeFileSync(path.join(modelDir(cache), "merges.txt.partial"), "stale bytes from an older revision");
    const events: string[] = [];
    await pull({ onFileEvent: (e) => e.kind === "done" && events.push(`${e.file}:${e.resumedFrom}`) });
    assert.ok(sameBytes(path.join(modelDir(cache), "merges.txt"), path.join(tinyClipModel, "merges.txt")));
    assert.ok(events.includes("merges.txt:0"));
  });

  it("refuses a second pull into a folder whose lock is held by a live process, and takes over a stale lock", async () => {
    fs.mkdirSync(modelDir(cache), { recursive: true });
    const lock = path.join(modelDir(cache), ".medad-pull.lock");
    fs.writeFileSync(lock, String(process.pid));
    await assert.rejects(pull(), /another pull of medad-test\/tiny-clip@main is running \(pid \d+\)/);
    fs.writeFileSync(lock, "999999999"); // no such process
    await pull();
    assert.ok(!fs.existsSync(lock));
    assert.strictEqual(listCachedModels(cache)[0].complete, true);
  });

  it("lists only pulled repos, not the cache's own converted/ and digests/ folders", async () => {
    await pull();
    for (const own of ["converted", "digests"]) fs.mkdirSync(path.join(cache, own, "x"), { recursive: true });
    assert.deepStrictEqual(
      listCachedModels(cache).map((m) => m.repo),
      [REPO],
    );
  });
});
