import fs from 'node:fs';
import path from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import * as tg from '../lib/index';

interface Case {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32' | 'bool';
  values: (number | null)[];
  special: Record<string, string>;
  torch: string;
}

// Recorded from PyTorch by scripts/fixtures/print_fixtures.py.
const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'print.json'), 'utf8')) as { cases: Case[] };

/** PyTorch's text with tensorgrad's two spellings: `dtype=int32` and `size=[0, 3]`. */
function inOurWords(s: string): string {
  return s.replace(/dtype=torch\./g, 'dtype=').replace(/size=\(([^)]*)\)/g, (_, dims: string) => `size=[${dims.replace(/,$/, '')}]`);
}

function build(c: Case): tg.Tensor {
  const values = c.values.map((v, i) => {
    if (v !== null) return v;
    const s = c.special[String(i)];
    return s === 'nan' ? NaN : s === 'inf' ? Infinity : -Infinity;
  });
  const data = c.dtype === 'int32' ? new Int32Array(values) : c.dtype === 'bool' ? new Uint8Array(values) : new Float32Array(values);
  return new tg.Tensor(data, c.shape, c.dtype);
}

describe('printing matches PyTorch', () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      expect(build(c).toString()).toBe(inOurWords(c.torch));
    });
  }

  it('console.log and util.inspect use the same form', () => {
    const t = tg.tensor([[1, 2], [3, 4]]);
    expect(inspect(t)).toBe('tensor([[1., 2.],\n        [3., 4.]])');
    expect(`${t}`).toBe(inspect(t));
  });
});
