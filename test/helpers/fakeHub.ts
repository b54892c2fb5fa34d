// A loopback stand-in for the Hugging Face Hub (127.0.0.1, random port) serving a folder as one repo:
// `/<repo>/resolve/<revision>/<file>`. Like the Hub, large ("LFS") files answer with a redirect carrying
// X-Linked-Etag = SHA-256 and are served from a second path with Range support; small files get a SHA-1 ETag.
// Faults can be injected per file: cut the connection after N bytes, stall (send N bytes, then nothing), answer
// an HTTP error status, corrupt the bytes, ignore Range, 404.
import * as crypto from "crypto";
import * as fs from "fs";
import * as http from "http";
import type { AddressInfo } from "net";
import * as path from "path";

export interface FakeHubFaults {
  /** Destroy the socket after this many body bytes, for the first `times` requests of the file. */
  cut?: { file: string; afterBytes: number; times: number };
  /** Send this many body bytes, then hold the connection open without sending more, for the first `times` requests. */
  stall?: { file: string; afterBytes: number; times: number };
  /** Answer with this HTTP status (e.g. 500) for the first `times` requests of the file (Infinity: always). */
  status?: { file: string; code: number; times: number };
  /** Serve these files with one byte flipped while advertising the true digest. */
  corrupt?: string[];
  /** Answer 404 for these files. */
  missing?: string[];
  /** Answer 200 with the whole file even when a Range is asked for. */
  ignoreRange?: boolean;
}

export interface FakeHub {
  endpoint: string;
  /** Every request: path and Range header. */
  log: { path: string; range?: string }[];
  faults: FakeHubFaults;
  close(): Promise<void>;
}

// Weight files are LFS objects on the Hub (.gitattributes of every model repo).
const isLfs = (file: string) => /\.(safetensors|bin|pt|pth|h5|msgpack|onnx)$/.test(file);

export async function startFakeHub(repo: string, dir: string, faults: FakeHubFaults = {}): Promise<FakeHub> {
  const log: FakeHub["log"] = [];
  const cutsLeft = new Map<string, number>();
  const statusLeft = new Map<string, number>();
  const stallsLeft = new Map<string, number>();
  const hub: Partial<FakeHub> = { log, faults };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    log.push({ path: url.pathname, range: req.headers.range });
    const resolve = new RegExp(`^/${repo}/resolve/([^/]+)/(.+)$`).exec(url.pathname);
    const cdn = /^\/cdn\/(.+)$/.exec(url.pathname);
    const file = decodeURIComponent(resolve ? resolve[2] : cdn ? cdn[1] : "");
    const full = path.join(dir, file);
    if ((!resolve && !cdn) || hub.faults!.missing?.includes(file) || !file || !fs.existsSync(full)) {
      res.writeHead(404, { "content-type": "text/plain", "x-error-code": "EntryNotFound" });
      return res.end("Entry not found");
    }
    const failing = hub.faults!.status;
    if (failing && failing.file === file && (statusLeft.get(file) ?? 0) < failing.times) {
      statusLeft.set(file, (statusLeft.get(file) ?? 0) + 1);
      res.writeHead(failing.code, { "content-type": "text/plain" });
      return res.end(`injected HTTP ${failing.code}`);
    }
    const bytes = fs.readFileSync(full);
    const sha256 = crypto.createHash("sha256").update(bytes).digest("hex");
    if (resolve && isLfs(file)) {
      res.writeHead(302, {
        location: `/cdn/${encodeURIComponent(file)}`,
        "x-linked-etag": `"${sha256}"`,
        "x-linked-size": String(bytes.length),
      });
      return res.end();
    }
    let body = bytes;
    if (hub.faults!.corrupt?.includes(file)) {
      body = Buffer.from(bytes);
      body[body.length >> 1] ^= 0xff;
    }
    const etag = isLfs(file) ? sha256 : crypto.createHash("sha1").update(bytes).digest("hex");
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? "");
    let start = 0;
    if (m && !hub.faults!.ignoreRange) {
      start = Number(m[1]);
      if (start >= body.length) {
        res.writeHead(416, { "content-range": `bytes */${body.length}` });
        return res.end();
      }
      res.writeHead(206, {
        "content-range": `bytes ${start}-${body.length - 1}/${body.length}`,
        "content-length": String(body.length - start),
        etag: `"${etag}"`,
      });
    } else {
      res.writeHead(200, { "content-length": String(body.length), etag: `"${etag}"`, "accept-ranges": "bytes" });
    }
    const cut = hub.faults!.cut;
    if (cut && cut.file === file) {
      const used = cutsLeft.get(file) ?? 0;
      if (used < cut.times) {
        cutsLeft.set(file, used + 1);
        // Send part of the body, then kill the connection without finishing the response.
        res.write(body.subarray(start, start + cut.afterBytes), () => setTimeout(() => res.socket?.destroy(), 20));
        return;
      }
    }
    const stall = hub.faults!.stall;
    if (stall && stall.file === file && (stallsLeft.get(file) ?? 0) < stall.times) {
      stallsLeft.set(file, (stallsLeft.get(file) ?? 0) + 1);
      res.write(body.subarray(start, start + stall.afterBytes)); // and then nothing: the client's idle timeout must act
      return;
    }
    res.end(body.subarray(start));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  hub.endpoint = `http://127.0.0.1:${port}`;
  hub.close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return hub as FakeHub;
}
