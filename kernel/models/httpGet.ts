/**
 * One GET with redirects followed, returning the final response plus the headers of every hop: the Hub answers
 * `/resolve/` for LFS files with a redirect to a CDN and puts `X-Linked-Etag` (the SHA-256) on that redirect.
 */
import * as http from "http";
import * as https from "https";

export interface GetResult {
  response: http.IncomingMessage;
  /** Headers of each response in order, the final one last. */
  hops: http.IncomingHttpHeaders[];
  finalUrl: string;
}

const MAX_REDIRECTS = 8;
/** No byte for this long means the connection is dead; the caller resumes. */
export const IDLE_TIMEOUT_MS = 60_000;

export function httpGet(
  url: string,
  headers: Record<string, string>,
  idleTimeoutMs = IDLE_TIMEOUT_MS,
): Promise<GetResult> {
  const hops: http.IncomingHttpHeaders[] = [];
  const origin = new URL(url).host;
  const step = (target: string, left: number): Promise<GetResult> =>
    new Promise((resolve, reject) => {
      const u = new URL(target);
      const sendHeaders = { ...headers, "user-agent": "medad-lab" };
      // Credentials go to the endpoint only, never to a CDN host we were redirected to.
      if (u.host !== origin) delete (sendHeaders as Record<string, string>).authorization;
      const lib = u.protocol === "https:" ? https : http;
      const req = lib.get(u, { headers: sendHeaders }, (res) => {
        hops.push(res.headers);
        const status = res.statusCode ?? 0;
        if (status >= 300 && status < 400 && res.headers.location) {
          res.resume();
          if (left <= 0) return reject(new Error(`too many redirects from ${url}`));
          return resolve(step(new URL(res.headers.location, u).toString(), left - 1));
        }
        res.setTimeout(idleTimeoutMs, () => res.destroy(new Error(`no data for ${idleTimeoutMs / 1000} s`)));
        resolve({ response: res, hops, finalUrl: u.toString() });
      });
      req.setTimeout(idleTimeoutMs, () => req.destroy(new Error(`no response for ${idleTimeoutMs / 1000} s`)));
      req.on("error", reject);
    });
  return step(url, MAX_REDIRECTS);
}
