/**
 * Fetching dataset files from a list of mirrors: each file is streamed to a temporary file beside
 * its destination, checked (size, MD5, then its content), and renamed into place only when every
 * check passes, so a failed or interrupted download leaves nothing behind.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

/** A file to download, with what the published file is known to be. */
export interface Resource {
  /** The file name, appended to each mirror's URL. */
  file: string;
  /** The MD5 of the file as published, hex. */
  md5?: string;
  /** The file's size in bytes as published. */
  size?: number;
}

export interface DownloadOptions {
  /** Base URLs, tried in order; the file name is appended. */
  mirrors: readonly string[];
  /** Give up on a mirror after this long without data (default 30 s). */
  timeoutMs?: number;
  /** Checks the downloaded file's content (throws if it is wrong) before it is moved into place. */
  validate?: (tmpFile: string) => void;
}

const MAX_REDIRECTS = 5;

/** A GET that follows redirects and resolves with a 200 response, or rejects with why not. */
function get(url: string, timeoutMs: number, redirects = MAX_REDIRECTS): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') {
      reject(new Error(`unsupported protocol ${u.protocol}`));
      return;
    }
    const req = (u.protocol === 'https:' ? https : http).get(u, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        if (redirects === 0) reject(new Error(`more than ${MAX_REDIRECTS} redirects`));
        else resolve(get(new URL(res.headers.location, u).href, timeoutMs, redirects - 1));
        return;
      }
      if (status !== 200) {
        res.resume();
        reject(new Error(`HTTP ${status} ${res.statusMessage ?? ''}`.trim()));
        return;
      }
      resolve(res);
    });
    // An idle timeout (no data for timeoutMs), not a limit on the whole transfer.
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no response for ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

/** Streams url into tmp and returns the byte count and MD5 of what arrived. */
async function fetchTo(url: string, tmp: string, timeoutMs: number): Promise<{ size: number; md5: string }> {
  const res = await get(url, timeoutMs);
  const hash = createHash('md5');
  let size = 0;
  const header = res.headers['content-length'];
  const of = header === undefined ? '' : ` of ${header}`;
  // Opened here rather than by the stream: a stream opens its file asynchronously, so after a
  // failed transfer it could create the file after the caller has already removed it.
  const out = fs.createWriteStream(tmp, { fd: fs.openSync(tmp, 'wx') });
  try {
    await pipeline(
      res,
      async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          hash.update(chunk);
          size += chunk.length;
          yield chunk;
        }
      },
      out,
    );
  } catch (e) {
    throw new Error(`the transfer broke off after ${size}${of} bytes (${(e as Error).message})`, { cause: e });
  }
  if (header !== undefined && Number(header) !== size) throw new Error(`the transfer ended after ${size}${of} bytes`);
  return { size, md5: hash.digest('hex') };
}

/** The URL of `file` under a mirror, whether or not the mirror ends with a slash. */
function urlOf(mirror: string, file: string): string {
  return new URL(file, mirror.endsWith('/') ? mirror : `${mirror}/`).href;
}

/**
 * Downloads `resource` into `dir` from the first mirror that serves a good copy, and returns the
 * file's path. A bad copy (wrong size, wrong MD5, or content that `validate` rejects) is deleted
 * and the next mirror tried; when all fail, the error lists each URL and what went wrong there.
 */
export async function downloadResource(resource: Resource, dir: string, options: DownloadOptions): Promise<string> {
  const { mirrors, timeoutMs = 30_000, validate } = options;
  if (!Array.isArray(mirrors) || mirrors.length === 0) throw new TypeError('download: expected a non-empty list of mirror URLs');
  fs.mkdirSync(dir, { recursive: true });
  const dest = path.join(dir, resource.file);
  const failures: string[] = [];
  for (const mirror of mirrors) {
    const url = urlOf(mirror, resource.file);
    // Unique per attempt, so concurrent downloads of one file never write the same temporary.
    const tmp = path.join(dir, `.${resource.file}.${process.pid}.${randomBytes(4).toString('hex')}.part`);
    try {
      const got = await fetchTo(url, tmp, timeoutMs);
      if (resource.size !== undefined && got.size !== resource.size) throw new Error(`wrong size: ${got.size} bytes, expected ${resource.size}`);
      if (resource.md5 !== undefined && got.md5 !== resource.md5.toLowerCase()) throw new Error(`MD5 mismatch: got ${got.md5}, expected ${resource.md5}`);
      validate?.(tmp);
      fs.renameSync(tmp, dest);
      return dest;
    } catch (e) {
      fs.rmSync(tmp, { force: true });
      const err = e as NodeJS.ErrnoException;
      failures.push(`  ${url}: ${err.message || err.code || String(e)}`);
    }
  }
  throw new Error(`could not download ${resource.file} into ${dir}; tried:\n${failures.join('\n')}`);
}
