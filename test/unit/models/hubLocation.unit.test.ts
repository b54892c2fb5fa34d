import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  fileUrl,
  modelDirName,
  readChecksumManifest,
  resolveCacheRoot,
  resolveEndpoint,
  sha256FromEtag,
} from "../../../kernel/models";

describe("hub locations and checksums", () => {
  it("picks the endpoint from the option, MEDAD_HF_ENDPOINT, HF_ENDPOINT, then the Hub", () => {
    assert.strictEqual(resolveEndpoint("http://127.0.0.1:9/", { HF_ENDPOINT: "http://b" }), "http://127.0.0.1:9");
    assert.strictEqual(
      resolveEndpoint(undefined, { MEDAD_HF_ENDPOINT: "http://a", HF_ENDPOINT: "http://b" }),
      "http://a",
    );
    assert.strictEqual(resolveEndpoint(undefined, { HF_ENDPOINT: "https://mirror.example" }), "https://mirror.example");
    assert.strictEqual(resolveEndpoint(undefined, {}), "https://huggingface.co");
    assert.throws(() => resolveEndpoint("ftp://x", {}), /must be http/);
  });

  it("puts the cache under MEDAD_CACHE or ~/.cache/medad/models, one folder per repo and revision", () => {
    assert.strictEqual(resolveCacheRoot(undefined, { MEDAD_CACHE: "/tmp/mc" }), "/tmp/mc");
    assert.strictEqual(resolveCacheRoot(undefined, {}), path.join(os.homedir(), ".cache", "medad", "models"));
    assert.strictEqual(modelDirName("openai/clip-vit-base-patch16"), "openai--clip-vit-base-patch16");
    assert.strictEqual(
      modelDirName("openai/clip-vit-base-patch16", "refs/pr/3"),
      "openai--clip-vit-base-patch16@refs_pr_3",
    );
    assert.throws(() => modelDirName("../etc"), /not a Hugging Face repo id/);
    assert.throws(() => modelDirName("a/b/c"), /org\/name/);
  });

  it("builds resolve URLs with the revision as one segment", () => {
    assert.strictEqual(
      fileUrl("https://h", "o/n", "refs/pr/3", "model.safetensors"),
      "https://h/o/n/resolve/refs%2Fpr%2F3/model.safetensors",
    );
  });

  it("reads a SHA-256 only from ETags that are one", () => {
    const hex = "a".repeat(64);
    assert.strictEqual(sha256FromEtag(`"${hex.toUpperCase()}"`), hex);
    assert.strictEqual(sha256FromEtag(`W/"${hex}"`), hex);
    assert.strictEqual(sha256FromEtag(`"${"b".repeat(40)}"`), undefined);
    assert.strictEqual(sha256FromEtag(undefined), undefined);
  });

  it("parses sha256sum and JSON checksum files and names bad lines", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "medad-sums-"));
    try {
      const a = path.join(dir, "SHA256SUMS");
      fs.writeFileSync(a, `# comment\n${"c".repeat(64)}  model.safetensors\n${"D".repeat(64)} *sub/vocab.json\n`);
      assert.deepStrictEqual(
        [...readChecksumManifest(a)],
        [
          ["model.safetensors", "c".repeat(64)],
          ["vocab.json", "d".repeat(64)],
        ],
      );
      const j = path.join(dir, "sums.json");
      fs.writeFileSync(j, JSON.stringify({ "merges.txt": "e".repeat(64) }));
      assert.deepStrictEqual([...readChecksumManifest(j)], [["merges.txt", "e".repeat(64)]]);
      fs.writeFileSync(a, "abc123  model.safetensors\n");
      assert.throws(() => readChecksumManifest(a), new RegExp(`SHA256SUMS:1: 'abc123' is not a 64-digit hex SHA-256`));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
