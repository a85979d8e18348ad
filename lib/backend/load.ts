import fs from 'node:fs';
import path from 'node:path';
import nodeGypBuild from 'node-gyp-build';
import type { NativeAddon } from './addon-types';

/** Where the loaded binary came from. */
export type AddonSource = 'prebuilt' | 'compiled' | 'TENSORGRAD_ADDON_PATH';

export interface LoadedAddon {
  addon: NativeAddon;
  file: string;
  source: AddonSource;
  packageRoot: string;
}

/** The folder holding tensorgrad's package.json, searched upwards from this file. */
function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      const name = (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name;
      if (name === 'tensorgrad') return dir;
    }
    if (path.dirname(dir) === dir) throw new Error(`tensorgrad: no package.json above ${start}`);
  }
}

/**
 * The binary is chosen in this order: TENSORGRAD_ADDON_PATH (a .node file, for testing another
 * build), then node-gyp-build's: a local build in build/Release, then prebuilds/<platform>-<arch>.
 */
function loadAddon(): LoadedAddon {
  const packageRoot = findPackageRoot(__dirname);
  const override = process.env.TENSORGRAD_ADDON_PATH;
  let file: string;
  let source: AddonSource;
  if (override) {
    file = path.resolve(override);
    source = 'TENSORGRAD_ADDON_PATH';
  } else {
    try {
      file = nodeGypBuild.path(packageRoot);
    } catch (cause) {
      throw new Error(
        'tensorgrad: no native binary fits this platform and none was built. ' +
          'Run `npm rebuild tensorgrad` with a C++ toolchain (python3, make, g++) installed.',
        { cause },
      );
    }
    source = file.split(path.sep).includes('prebuilds') ? 'prebuilt' : 'compiled';
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const addon = require(file) as NativeAddon;
  return { addon, file, source, packageRoot };
}

export const loaded: LoadedAddon = loadAddon();
export const native: NativeAddon = loaded.addon;
