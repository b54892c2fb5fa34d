// Runs the real `medad` launcher (bin/medad.js, compiled CLI) against a loopback fake Hub.
import * as assert from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { FakeHub, startFakeHub } from "../../helpers/fakeHub";
import { tinyClipModel } from "../../helpers/fixturePaths";

const repoRoot = path.resolve(__dirname, "..", "..", "..", "..");
const REPO = "medad-test/tiny-clip";

function medad(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot, "bin", "medad.js"), ...args], {
      env: { ...process.env, ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe("medad models pull / list (CLI)", () => {
  let hub: FakeHub;
  let cache: string;

  beforeEach(async () => {
    cache = fs.mkdtempSync(path.join(os.tmpdir(), "medad-cli-cache-"));
    hub = await startFakeHub(REPO, tinyClipModel);
  });
  afterEach(async () => {
    await hub.close();
    fs.rmSync(cache, { recursive: true, force: true });
  });

  it("pulls through MEDAD_HF_ENDPOINT/MEDAD_CACHE with progress on stderr, then lists the model", async () => {
    const env = { MEDAD_HF_ENDPOINT: hub.endpoint, MEDAD_CACHE: cache, HF_ENDPOINT: "" };
    const pulled = await medad(["models", "pull", REPO], env);
    assert.strictEqual(pulled.code, 0, pulled.stderr);
    assert.strictEqual(pulled.stdout.trim(), path.join(cache, "medad-test--tiny-clip"));
    assert.match(pulled.stderr, /model\.safetensors {2}[\d.]+ (KiB|MiB) \/ 4\.7 MiB {2}[\d.]+% {2}[\d.]+ \w+\/s/);
    assert.match(pulled.stderr, /model\.safetensors: 4\.7 MiB, sha256 verified \(hub ETag\)/);
    for (const f of ["config.json", "model.safetensors", "vocab.json", "merges.txt", "tokenizer_config.json"]) {
      assert.ok(
        fs
          .readFileSync(path.join(cache, "medad-test--tiny-clip", f))
          .equals(fs.readFileSync(path.join(tinyClipModel, f))),
        f,
      );
    }
    const listed = await medad(["models", "list", "--cache", cache], {});
    assert.strictEqual(listed.code, 0);
    assert.match(listed.stdout, /medad-test\/tiny-clip\s+6\.\d MiB\s+complete/);
  });

  it("exits 1 naming the file and the fix on a 404, and lists the model as incomplete", async () => {
    hub.faults.missing = ["merges.txt"];
    const r = await medad(["models", "pull", REPO, "--endpoint", hub.endpoint, "--cache", cache], {});
    assert.strictEqual(r.code, 1);
    assert.match(
      r.stderr,
      /medad models pull: merges\.txt is not in medad-test\/tiny-clip at revision 'main' \(HTTP 404/,
    );
    const listed = await medad(["models", "list", "--cache", cache], {});
    assert.match(
      listed.stdout,
      /incomplete \(missing merges\.txt\); run 'medad models pull medad-test\/tiny-clip' to finish/,
    );
  });

  it("rejects bad usage with exit code 2", async () => {
    const r = await medad(["models", "pull"], {});
    assert.strictEqual(r.code, 2);
    assert.match(r.stderr, /missing <org\/name>/);
    const bad = await medad(["models", "pull", "not-a-repo", "--cache", cache, "--endpoint", hub.endpoint], {});
    assert.strictEqual(bad.code, 1);
    assert.match(bad.stderr, /'not-a-repo' is not a Hugging Face repo id; write it as org\/name/);
  });

  it("make-demo generates the built-in demo model offline; list shows it as built in with random weights", async () => {
    const before = await medad(["models", "list", "--cache", cache], {});
    assert.match(before.stdout, /medad\/demo-tiny-clip is built in: random weights generated on first use/);
    const made = await medad(["models", "make-demo", "--cache", cache], { MEDAD_HF_ENDPOINT: "http://127.0.0.1:9" });
    assert.strictEqual(made.code, 0, made.stderr);
    assert.match(
      made.stdout,
      /medad\/demo-tiny-clip in .*medad--demo-tiny-clip\nmodel\.safetensors sha256 [0-9a-f]{64} \(\d+ bytes\)\nnote: random weights/,
    );
    const listed = await medad(["models", "list", "--cache", cache], {});
    assert.match(
      listed.stdout,
      /medad\/demo-tiny-clip\s+6\.\d MiB\s+complete \(built in, random weights: for demos only\)/,
    );
    assert.doesNotMatch(listed.stdout, /is built in: random weights generated/);
  });
});
