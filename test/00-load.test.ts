import { describe, expect, it } from 'vitest';
import { nativeFunctionNames } from '../lib/backend/addon-types';
import { loaded, native } from '../lib/backend/load';
import * as tg from '../lib/index';

describe('loading the addon', () => {
  it('exports exactly the functions lib/backend/addon-types.ts declares', () => {
    expect(Object.keys(native).sort()).toEqual([...nativeFunctionNames].sort());
  });

  it('reports how it was built', () => {
    const b = native.buildInfo();
    expect(['node-gyp', 'cmake-js']).toContain(b.buildSystem);
    expect(b.napiVersion).toBe(8);
    expect(b.isasCompiled.split(' ')).toContain(b.isa);
    // CI runs this file once per build; TENSORGRAD_EXPECT_BUILD says which one it loaded.
    if (process.env.TENSORGRAD_EXPECT_BUILD) expect(b.buildSystem).toBe(process.env.TENSORGRAD_EXPECT_BUILD);
  });

  it('uses the kernel set TENSORGRAD_ISA asks for, or the best the CPU runs', () => {
    const b = native.buildInfo();
    const requested = process.env.TENSORGRAD_ISA ?? '';
    expect(b.isaRequested).toBe(requested);
    if (requested === 'generic') expect(b.isa).toBe('generic');
    const f = b.cpuFeatures.split(' ');
    if (!requested && process.arch === 'x64') {
      const best = f.includes('avx512f') && f.includes('avx512bw') ? 'avx512' : f.includes('avx2') && f.includes('fma') ? 'avx2' : 'generic';
      expect(b.isa).toBe(best);
    }
  });

  it('says where the binary came from', () => {
    expect(loaded.file.endsWith('.node')).toBe(true);
    expect(['prebuilt', 'compiled', 'TENSORGRAD_ADDON_PATH']).toContain(loaded.source);
    const i = tg.info();
    expect(i.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(i.addon.file).toBe(loaded.file);
    expect(i.numThreads).toBeGreaterThanOrEqual(1);
  });
});
