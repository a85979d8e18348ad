import fs from 'node:fs';
import path from 'node:path';
import type { NativeBuildInfo } from './addon-types';
import { loaded, type AddonSource } from './load';

export interface Info {
  version: string;
  node: string;
  platform: string;
  /** The native binary in use and where it came from. */
  addon: { file: string; source: AddonSource; buildSystem: NativeBuildInfo['buildSystem']; compiler: string; napiVersion: number };
  cpuFeatures: string[];
  /** The kernel set chosen at load time, and those compiled in. */
  isa: { selected: string; compiled: string[]; requested: string; note: string };
  numThreads: number;
  cuda: boolean;
}

export function info(): Info {
  const b = loaded.addon.buildInfo();
  const manifest = JSON.parse(fs.readFileSync(path.join(loaded.packageRoot, 'package.json'), 'utf8')) as {
    version: string;
  };
  return {
    version: manifest.version,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    addon: {
      file: loaded.file,
      source: loaded.source,
      buildSystem: b.buildSystem,
      compiler: b.compiler,
      napiVersion: b.napiVersion,
    },
    cpuFeatures: b.cpuFeatures.split(' ').filter(Boolean),
    isa: { selected: b.isa, compiled: b.isasCompiled.split(' '), requested: b.isaRequested, note: b.isaNote },
    numThreads: loaded.addon.getNumThreads(),
    cuda: b.cuda,
  };
}
