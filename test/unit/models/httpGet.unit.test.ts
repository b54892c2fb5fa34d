import * as assert from "assert";
import * as fs from "fs";
import * as http from "http";
import type { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import { downloadFile } from "../../../kernel/models";

async function listen(handler: http.RequestListener): Promise<{ url: string; server: http.Server }> {
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe("downloadFile redirects", () => {
  it("sends the token to the endpoint but not to the host it redirects to, and follows relative redirects", async () => {
    const seen: { where: string; auth?: string }[] = [];
    const cdn = await listen((req, res) => {
      seen.push({ where: `cdn${req.url}`, auth: req.headers.authorization });
      if (req.url === "/hop") {
        res.writeHead(307, { location: "/blob" }); // relative: resolved against the CDN
        return res.end();
      }
      res.writeHead(200, { "content-length": "5" });
      res.end("hello");
    });
    const hub = await listen((req, res) => {
      seen.push({ where: `hub${req.url}`, auth: req.headers.authorization });
      res.writeHead(302, { location: `${cdn.url}/hop` });
      res.end();
    });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "medad-redirect-"));
    try {
      const dest = path.join(dir, "f.bin");
      const r = await downloadFile({
        url: `${hub.url}/o/n/resolve/main/f.bin`,
        dest,
        headers: { authorization: "Bearer tok" },
      });
      assert.strictEqual(fs.readFileSync(dest, "utf8"), "hello");
      assert.strictEqual(r.verifiedBy, "none");
      assert.deepStrictEqual(seen, [
        { where: "hub/o/n/resolve/main/f.bin", auth: "Bearer tok" },
        { where: "cdn/hop", auth: undefined },
        { where: "cdn/blob", auth: undefined },
      ]);
    } finally {
      hub.server.close();
      cdn.server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
