import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatInfo } from '../lib/cli/info-command';
import { main } from '../lib/cli/main';
import * as tg from '../lib/index';

describe('tensorgrad info', () => {
  it('prints the version, build, CPU features, kernel set and threads', () => {
    const text = formatInfo(tg.info());
    for (const label of ['version', 'native build', 'CPU features', 'kernel set', 'threads']) expect(text).toContain(label);
    expect(text).toContain(tg.info().isa.selected);
  });

  it('runs as the package bin', () => {
    const bin = path.join(__dirname, '..', 'bin', 'tensorgrad.js');
    const out = execFileSync(process.execPath, [bin, 'info', '--json'], { encoding: 'utf8' });
    const parsed = JSON.parse(out) as tg.Info;
    expect(parsed.version).toBe(tg.info().version);
    expect(parsed.isa.selected).toBe(tg.info().isa.selected);
  });

  it('answers unknown commands and options with usage and exit code 2', async () => {
    expect(await main(['nope'])).toBe(2);
    expect(await main(['info', '--bogus'])).toBe(2);
    expect(await main(['--help'])).toBe(0);
  });
});
