/**
 * Downloads one URL to a file the safe way: bytes go to `<file>.partial`; a dropped connection is resumed
 * with an HTTP Range request from the partial's size (also across runs); the finished file's SHA-256 is checked
 * when a digest is known; only then is it renamed into place, so a file at its final name is always complete.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import { Transform } from "stream";
import { pipeline } from "stream/promises";
import { sha256FromEtag } from "./checksums";
import { describeWriteFailure, errnoCode, FATAL_WRITE_CODES } from "../util/fsErrors";
import { httpGet } from "./httpGet";

export interface DownloadProgress {
  file: string;
  /** Bytes in the partial file so far (including bytes from an earlier run). */
  received: number;
  /** Full size when the server told it. */
  total?: number;
  /** Bytes per second over this run. */
  bytesPerSecond: number;
  /** Seconds left at the current rate, when the total is known. */
  etaSeconds?: number;
}

export interface DownloadOptions {
  url: string;
  dest: string;
  /** Name used in messages and progress (defaults to the destination's base name). */
  label?: string;
  headers?: Record<string, string>;
  /** Digest to check against; overrides the server's ETag. */
  expectedSha256?: string;
  onProgress?: (p: DownloadProgress) => void;
  /** Resume attempts after a dropped connection or a 5xx answer. */
  maxRetries?: number;
  retryDelayMs?: number;
  /** No byte for this long counts as a dropped connection (default 60 s, httpGet.ts). */
  idleTimeoutMs?: number;
  /** Told before each resume attempt, with the reason (e.g. the connection dropped). */
  onRetry?: (info: { file: string; attempt: number; maxRetries: number; reason: string }) => void;
}

export interface DownloadResult {
  bytes: number;
  sha256: string;
  /** Where the digest that was checked came from, or "none" if nothing could be checked. */
  verifiedBy: "manifest" | "etag" | "none";
  resumedFrom: number;
}

/** A failure that another attempt cannot fix (404, auth, checksum). */
export class DownloadError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

class RetryableError extends Error {}

function partialSize(partial: string): number {
  try {
    return fs.statSync(partial).size;
  } catch {
    return 0;
  }
}

async function sha256Of(file: string): Promise<string> {
  const hash = crypto.createHash("sha256");
  await pipeline(fs.createReadStream(file), hash);
  return hash.digest("hex");
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function downloadFile(opts: DownloadOptions): Promise<DownloadResult> {
  const partial = `${opts.dest}.partial`;
  const label = opts.label ?? opts.dest;
  const maxRetries = opts.maxRetries ?? 5;
  const startedAt = Date.now();
  let resumedFrom = partialSize(partial);
  let receivedThisRun = 0;
  let serverSha: string | undefined;
  let total: number | undefined;

  for (let attempt = 0; ; attempt++) {
    try {
      const outcome = await attemptOnce();
      if (outcome === "done") break;
    } catch (err) {
      if (!(err instanceof RetryableError) || attempt >= maxRetries) {
        if (err instanceof DownloadError) throw err;
        throw new DownloadError(
          `${label}: download failed after ${attempt + 1} attempt(s): ${(err as Error).message}. ` +
            `${partialSize(partial)} bytes are kept in ${partial}; run the same pull again to resume.`,
        );
      }
      opts.onRetry?.({ file: label, attempt: attempt + 1, maxRetries, reason: err.message });
      await sleep((opts.retryDelayMs ?? 500) * 2 ** Math.min(attempt, 5));
    }
  }

  const size = partialSize(partial);
  const actual = await sha256Of(partial);
  const expected = opts.expectedSha256?.toLowerCase() ?? serverSha;
  if (expected && actual !== expected) {
    fs.rmSync(partial, { force: true }); // resuming from corrupt bytes would fail the same way again
    throw new DownloadError(
      `${label}: SHA-256 mismatch: expected ${expected} (${opts.expectedSha256 ? "checksum file" : "server ETag"}), got ${actual}. ` +
        `The download was discarded and not installed; run pull again, and if it repeats check the checksum file or the endpoint.`,
    );
  }
  fs.renameSync(partial, opts.dest);
  return {
    bytes: size,
    sha256: actual,
    verifiedBy: opts.expectedSha256 ? "manifest" : expected ? "etag" : "none",
    resumedFrom,
  };

  /** One request; resolves "done" when the partial holds the whole file, throws RetryableError to resume. */
  async function attemptOnce(): Promise<"done"> {
    const have = partialSize(partial);
    const headers: Record<string, string> = { ...opts.headers };
    if (have > 0) headers.range = `bytes=${have}-`;
    let got;
    try {
      got = await httpGet(opts.url, headers, opts.idleTimeoutMs);
    } catch (err) {
      throw new RetryableError((err as Error).message);
    }
    const { response: res, hops } = got;
    const status = res.statusCode ?? 0;
    for (const h of hops) serverSha ??= sha256FromEtag(h["x-linked-etag"]);
    serverSha ??= sha256FromEtag(hops[hops.length - 1].etag);

    // Bytes left by an earlier run may come from an older version of the file (a branch moved). Without a
    // digest to catch that, appending to them is unsafe, so such a file starts over (only small git files).
    if (
      have > 0 &&
      have === resumedFrom &&
      receivedThisRun === 0 &&
      !opts.expectedSha256 &&
      !serverSha &&
      (status === 206 || status === 416)
    ) {
      res.destroy();
      fs.rmSync(partial, { force: true });
      resumedFrom = 0;
      return attemptOnce();
    }

    if (status === 416 && have > 0) {
      res.resume();
      const m = /bytes \*\/(\d+)/.exec(String(res.headers["content-range"] ?? ""));
      if (m && Number(m[1]) === have) {
        total = have;
        return "done"; // an earlier run already received every byte
      }
      fs.rmSync(partial, { force: true });
      throw new RetryableError("the server refused to resume (HTTP 416); starting over");
    }
    if (status === 404) {
      res.resume();
      throw new DownloadError(`${label}: not found (HTTP 404 at ${opts.url})`, 404);
    }
    if (status === 401 || status === 403) {
      res.resume();
      throw new DownloadError(
        `${label}: access denied (HTTP ${status}); the repo may be gated or private: accept its terms on the Hub and set HF_TOKEN`,
        status,
      );
    }
    if (status !== 200 && status !== 206) {
      res.resume();
      // A retryable reason is prefixed with the label once, by the final "download failed" message.
      const reason = `HTTP ${status} from ${opts.url}`;
      if (status >= 500 || status === 429) throw new RetryableError(reason);
      throw new DownloadError(`${label}: ${reason}`, status);
    }

    let append = false;
    if (status === 206) {
      const m = /bytes (\d+)-(\d+)\/(\d+|\*)/.exec(String(res.headers["content-range"] ?? ""));
      if (!m || Number(m[1]) !== have) {
        res.resume();
        fs.rmSync(partial, { force: true });
        throw new RetryableError(
          `the server resumed at the wrong offset (${res.headers["content-range"]}); starting over`,
        );
      }
      append = true;
      if (m[3] !== "*") total = Number(m[3]);
    } else {
      const len = res.headers["content-length"];
      total = len !== undefined ? Number(len) : undefined; // 200: the server sent the whole file from byte 0
    }

    let received = append ? have : 0;
    const report = () => {
      const seconds = Math.max((Date.now() - startedAt) / 1000, 1e-3);
      const rate = receivedThisRun / seconds;
      opts.onProgress?.({
        file: label,
        received,
        total,
        bytesPerSecond: rate,
        etaSeconds: total !== undefined && rate > 0 ? (total - received) / rate : undefined,
      });
    };
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        received += chunk.length;
        receivedThisRun += chunk.length;
        report();
        done(null, chunk);
      },
    });
    const out = fs.createWriteStream(partial, { flags: append ? "a" : "w" });
    try {
      await pipeline(res, counter, out);
    } catch (err) {
      // Let a write still in flight land before the next attempt measures the partial and appends to it.
      if (!out.closed) await new Promise<void>((r) => out.once("close", () => r()));
      const code = errnoCode(err);
      if (code && FATAL_WRITE_CODES.has(code)) {
        res.destroy();
        // A full or read-only disk is not a dropped connection: retrying would fail the same way.
        throw new DownloadError(
          `${describeWriteFailure(partial, err)} The ${partialSize(partial)} bytes received are kept ` +
            `there; run the same pull again to resume.`,
        );
      }
      throw new RetryableError(`connection lost after ${received} bytes (${(err as Error).message})`);
    }
    const size = partialSize(partial);
    if (total !== undefined && size < total) throw new RetryableError(`connection closed at ${size} of ${total} bytes`);
    if (total !== undefined && size > total) {
      fs.rmSync(partial, { force: true });
      throw new RetryableError(`the file grew past its announced size (${size} > ${total}); starting over`);
    }
    report();
    return "done";
  }
}
