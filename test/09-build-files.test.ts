// binding.gyp and CMakeLists.txt compile one list of sources, native/sources.gypi: every native
// source is in it once, and both build files read it rather than listing files themselves.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.join(__dirname, '..');
const gypi = JSON.parse(fs.readFileSync(path.join(root, 'native', 'sources.gypi'), 'utf8')) as {
  variables: Record<string, string[]>;
};

function sourcesOnDisk(dir: string): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return e.name === 'cuda' ? [] : sourcesOnDisk(rel);
    return e.name.endsWith('.cc') ? [rel] : [];
  });
}

describe('one list of native sources', () => {
  it('names every .cc file under native/ exactly once', () => {
    const v = gypi.variables;
    const listed = [...v.tg_sources, ...v.tg_sources_avx2, ...v.tg_sources_avx512];
    expect(new Set(listed).size).toBe(listed.length);
    expect([...listed].sort()).toEqual(sourcesOnDisk('native').sort());
  });

  it('is what binding.gyp and CMakeLists.txt read', () => {
    const gyp = fs.readFileSync(path.join(root, 'binding.gyp'), 'utf8');
    const cmake = fs.readFileSync(path.join(root, 'CMakeLists.txt'), 'utf8');
    expect(gyp).toContain('"includes": ["native/sources.gypi"]');
    expect(cmake).toContain('native/sources.gypi');
    for (const text of [gyp, cmake]) expect(text).not.toMatch(/[\s\"(]native\/[\w/]+\.cc/);
  });
});
