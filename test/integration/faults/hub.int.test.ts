// Fault suite, model pulls against the loopback fake hub: HTTP 500 (retried, then one clear message), a stalled
// connection (the --idle-timeout flag acts and the pull resumes), a full disk (fatal at once, naming the file).
// Resets, 404 and SHA-256 mismatches are reproduced by the pull's unit tests.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { pullModel } from "../../../kernel/models";
import { startFakeHub, type FakeHub } from "../../helpers/fakeHub";
import { tinyClipModel } from "../../helpers/fixturePaths";
import { medadAsync, mountTmpfs, STACK_FRAME } from "./faultHelpers";
import { coveredBy, observed } from "./faultTable";

const REPO = "medad-test/tiny-clip";
const WEIGHTS = "model.safetensors";
const UNIT = "test/unit/models/pullModel.unit.test.ts";

describe("faults: model pull", function () {
  this.timeout(120_000);
  let hub: FakeHub;
  let dir: string;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "medad-faults-hub-"));
    hub = await startFakeHub(REPO, tinyClipModel);
  });
  afterEach(async () => {
    await hub.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("HTTP 500: retried, then one message naming the file once", async () => {
    hub.faults.status = { file: WEIGHTS, code: 500, times: Infinity };
    const retries: string[] = [];
    const err = await pullModel({
      repo: REPO,
      cacheRoot: dir,
      endpoint: hub.endpoint,
      maxRetries: 2,
      retryDelayMs: 1,
      onFileEvent: (e) => e.kind === "retry" && retries.push(e.reason),
    }).then(
      () => assert.fail("the pull succeeded"),
      (e: Error) => e,
    );
    assert.strictEqual(retries.length, 2);
    assert.match(err.message, /^model\.safetensors: download failed after 3 attempt\(s\): HTTP 500 from /);
    assert.doesNotMatch(err.message, /model\.safetensors: model\.safetensors/);
    assert.match(err.message, /run the same pull again to resume/);
    observed("hub", "HTTP 500", "retried; then the file named once and how to resume", err.message);
  });

  it("a stalled connection: --idle-timeout drops it and the pull resumes", async () => {
    hub.faults.stall = { file: WEIGHTS, afterBytes: 100_000, times: 1 };
    const t0 = Date.now();
    const r = await medadAsync([
      "models",
      "pull",
      REPO,
      "--endpoint",
      hub.endpoint,
      "--cache",
      dir,
      "--idle-timeout",
      "0.5",
    ]);
    const s = (Date.now() - t0) / 1000;
    assert.strictEqual(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /model\.safetensors: connection lost after 100000 bytes \(no data for 0\.5 s\); resuming \(retry 1 of 5\)/,
    );
    assert.ok(
      fs.readFileSync(path.join(r.stdout.trim(), WEIGHTS)).equals(fs.readFileSync(path.join(tinyClipModel, WEIGHTS))),
    );
    observed(
      "hub",
      "stalled download",
      "dropped after --idle-timeout, resumed",
      `resumed after a 0.5 s stall; pull took ${s.toFixed(1)} s`,
    );
  });

  it("a full disk is fatal at once (no retries), naming the partial file and the fix", async function () {
    const mnt = path.join(dir, "mnt");
    const unmount = mountTmpfs(mnt, "1m"); // the weights are 4.9 MB
    if (!unmount) return this.skip(); // needs root and tmpfs
    try {
      const r = await medadAsync(["models", "pull", REPO, "--endpoint", hub.endpoint, "--cache", mnt]);
      assert.strictEqual(r.code, 1);
      assert.doesNotMatch(r.stderr, /retry/);
      assert.match(
        r.stderr,
        /medad models pull: \S+\/model\.safetensors\.partial: cannot write it \(ENOSPC.*The disk is full/,
      );
      assert.match(r.stderr, /run the same pull again to resume/);
      assert.doesNotMatch(r.stderr, STACK_FRAME);
      observed(
        "disk",
        "models pull on a full disk",
        "fatal, no retry, names the file and the fix",
        r.stderr.trim().split("\n").pop()!,
      );
    } finally {
      unmount();
    }
  });

  it("the cases the pull's unit tests reproduce are still there", () => {
    coveredBy(
      "hub",
      "connection reset",
      "resumed with a Range request",
      UNIT,
      "resumes with a Range request after the connection breaks mid-file",
    );
    coveredBy(
      "hub",
      "HTTP 404",
      "names the file and the fix",
      UNIT,
      "names the file and the fix on a 404 of a required file",
    );
    coveredBy(
      "hub",
      "SHA-256 mismatch",
      "refused, not installed",
      UNIT,
      "refuses a file whose SHA-256 does not match and does not install it",
    );
    coveredBy(
      "hub",
      "two pulls into one folder",
      "live lock refused, stale taken over",
      UNIT,
      "refuses a second pull into a folder whose lock is held by a live process",
    );
  });
});
