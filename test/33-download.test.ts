/**
 * The whole download path against a local HTTP server on 127.0.0.1 serving small synthetic IDX
 * files: mirrors in order, checks of size, MD5 and content, atomic placement, clear failures.
 * Nothing here touches any other host.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as tg from '../lib/index';
import { cacheDir } from '../lib/data/datasets/roots';
import { syntheticSplit, tempDir } from './helpers/idx';

const { MNIST } = tg.datasets;

const split = syntheticSplit(6);
const files: Record<string, Buffer> = {
  't10k-images-idx3-ubyte.gz': zlib.gzipSync(split.images),
  't10k-labels-idx1-ubyte.gz': zlib.gzipSync(split.labels),
};
const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');
const resources: tg.datasets.Resource[] = Object.entries(files).map(([file, bytes]) => ({ file, md5: md5(bytes), size: bytes.length }));

let server: http.Server;
let base: string;
const requests: string[] = [];
const dirs: string[] = [];

/** Routes: /good/ serves the files, /missing/ 404s, /corrupt/ flips a byte, /garbage/ sends text,
 *  /redirect/ 302s to /good/, /cut/ closes the connection halfway, /silent/ never answers. */
function handle(req: http.IncomingMessage, res: http.ServerResponse): void {
  requests.push(req.url!);
  const [, route, name] = req.url!.split('/');
  const body = files[name];
  if (route === 'silent') return;
  if (!body || route === 'missing') {
    res.writeHead(404).end();
  } else if (route === 'good') {
    res.writeHead(200, { 'content-length': body.length }).end(body);
  } else if (route === 'corrupt') {
    const bad = Buffer.from(body);
    bad[bad.length >> 1] ^= 0xff;
    res.writeHead(200).end(bad);
  } else if (route === 'garbage') {
    res.writeHead(200).end('<html>not found</html>');
  } else if (route === 'redirect') {
    res.writeHead(302, { location: `/good/${name}` }).end();
  } else if (route === 'cut') {
    res.writeHead(200, { 'content-length': body.length });
    res.write(body.subarray(0, body.length >> 1), () => res.destroy());
  }
}

function freshDir(): string {
  const d = tempDir('download');
  dirs.push(d);
  return d;
}

const listing = (dir: string) => fs.readdirSync(dir).sort();
const mirrors = (...routes: string[]) => routes.map((r) => `${base}/${r}/`);

beforeAll(async () => {
  server = http.createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(() => {
  requests.length = 0;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('MNIST.create({ download: true })', () => {
  it('downloads, checks size and MD5, and loads; a 404 falls over to the next mirror', async () => {
    const root = freshDir();
    const ds = await MNIST.create({ root, train: false, download: true, mirrors: mirrors('missing', 'good'), resources });
    expect(ds).toBeInstanceOf(MNIST);
    expect(ds.data.shape).toEqual([6, 1, 28, 28]);
    expect(Array.from(ds.targets.dataSync())).toEqual(split.targets);
    expect(listing(root)).toEqual(['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']);
    expect(fs.readFileSync(path.join(root, 't10k-images-idx3-ubyte.gz'))).toEqual(files['t10k-images-idx3-ubyte.gz']);
    expect(requests).toEqual([
      '/missing/t10k-images-idx3-ubyte.gz',
      '/good/t10k-images-idx3-ubyte.gz',
      '/missing/t10k-labels-idx1-ubyte.gz',
      '/good/t10k-labels-idx1-ubyte.gz',
    ]);
  });

  it('does not download what is already there', async () => {
    const root = freshDir();
    fs.writeFileSync(path.join(root, 't10k-labels-idx1-ubyte'), split.labels);
    await MNIST.create({ root, train: false, download: true, mirrors: mirrors('good'), resources });
    expect(requests).toEqual(['/good/t10k-images-idx3-ubyte.gz']);
    requests.length = 0;
    await MNIST.create({ root, train: false, download: true, mirrors: mirrors('good'), resources });
    expect(requests).toEqual([]);
  });

  it('rejects a corrupt file by its MD5 and leaves nothing behind', async () => {
    const root = freshDir();
    const err = await MNIST.create({ root, train: false, download: true, mirrors: mirrors('corrupt'), resources }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(
      new RegExp(`^MNIST: could not download t10k-images-idx3-ubyte.gz into ${root}; tried:\\n  ${base}/corrupt/t10k-images-idx3-ubyte.gz: MD5 mismatch: got [0-9a-f]{32}, expected ${resources[0].md5}$`),
    );
    expect(listing(root)).toEqual([]);
  });

  it('a bad copy on one mirror falls over to a good one', async () => {
    const root = freshDir();
    const ds = await MNIST.create({ root, train: false, download: true, mirrors: mirrors('corrupt', 'cut', 'good'), resources });
    expect(ds.length).toBe(6);
    expect(listing(root)).toEqual(['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']);
    expect(requests.filter((r) => r.startsWith('/cut/')).length).toBe(2);
  });

  it('rejects a transfer that breaks off', async () => {
    const root = freshDir();
    const size = files['t10k-images-idx3-ubyte.gz'].length;
    await expect(MNIST.create({ root, train: false, download: true, mirrors: mirrors('cut'), resources })).rejects.toThrow(
      new RegExp(`cut/t10k-images-idx3-ubyte.gz: the transfer broke off after ${size >> 1} of ${size} bytes`),
    );
    expect(listing(root)).toEqual([]);
  });

  it('checks the size when it is given', async () => {
    const root = freshDir();
    const wrong = resources.map((r) => ({ ...r, size: r.size! + 1 }));
    await expect(MNIST.create({ root, train: false, download: true, mirrors: mirrors('good'), resources: wrong })).rejects.toThrow(
      new RegExp(`wrong size: ${resources[0].size} bytes, expected ${resources[0].size! + 1}`),
    );
    expect(listing(root)).toEqual([]);
  });

  it('checks the content when no checksum is known', async () => {
    const root = freshDir();
    const unchecked = resources.map((r) => ({ file: r.file }));
    await expect(MNIST.create({ root, train: false, download: true, mirrors: mirrors('garbage'), resources: unchecked })).rejects.toThrow(
      /garbage\/t10k-images-idx3-ubyte.gz: the content: wrong magic number/,
    );
    expect(listing(root)).toEqual([]);
  });

  it('follows redirects', async () => {
    const root = freshDir();
    await MNIST.create({ root, train: false, download: true, mirrors: mirrors('redirect'), resources });
    expect(requests).toContain('/good/t10k-labels-idx1-ubyte.gz');
    expect(listing(root)).toEqual(['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']);
  });

  it('lists every URL tried when no mirror answers', async () => {
    const root = freshDir();
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const err = (await MNIST.create({
      root,
      train: false,
      download: true,
      mirrors: [`http://127.0.0.1:${port}/mnist`, `${base}/missing/`, `${base}/silent/`],
      resources,
      timeoutMs: 200,
    }).catch((e: Error) => e)) as Error;
    expect(err.message.split('\n')).toEqual([
      `MNIST: could not download t10k-images-idx3-ubyte.gz into ${root}; tried:`,
      `  http://127.0.0.1:${port}/mnist/t10k-images-idx3-ubyte.gz: connect ECONNREFUSED 127.0.0.1:${port}`,
      `  ${base}/missing/t10k-images-idx3-ubyte.gz: HTTP 404 Not Found`,
      `  ${base}/silent/t10k-images-idx3-ubyte.gz: no response for 200 ms`,
    ]);
    expect(listing(root)).toEqual([]);
  });

  it('downloads into the cache folder when no root is given and the files are nowhere', async () => {
    const saved = process.env.TENSORGRAD_DATA_DIR;
    process.env.TENSORGRAD_DATA_DIR = freshDir();
    class Tiny extends MNIST {
      static override folderName = 'Tiny';
      static override defaultRoots(): string[] {
        return [cacheDir(this.folderName)];
      }
    }
    try {
      const ds = await Tiny.create({ train: false, download: true, mirrors: mirrors('good'), resources });
      expect(ds).toBeInstanceOf(Tiny);
      expect(ds.root).toBe(path.join(process.env.TENSORGRAD_DATA_DIR, 'Tiny'));
      expect(listing(ds.root)).toEqual(['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']);
      // Without download, a missing split is the constructor's error.
      await expect(Tiny.create({ train: true })).rejects.toThrow(/Tiny: the training split's files .* are in none of/);
    } finally {
      if (saved === undefined) delete process.env.TENSORGRAD_DATA_DIR;
      else process.env.TENSORGRAD_DATA_DIR = saved;
    }
  });
});
