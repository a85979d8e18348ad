import { info, type Info } from '../backend/info';

const SOURCE_WORDS: Record<Info['addon']['source'], string> = {
  prebuilt: 'prebuilt binary shipped in the package',
  compiled: 'compiled on this machine',
  TENSORGRAD_ADDON_PATH: 'chosen by TENSORGRAD_ADDON_PATH',
};

export function formatInfo(i: Info): string {
  const isaLine =
    `${i.isa.selected} (compiled: ${i.isa.compiled.join(', ')}` +
    (i.isa.requested ? `; TENSORGRAD_ISA=${i.isa.requested}` : '') +
    (i.isa.note ? `; ${i.isa.note}` : '') +
    ')';
  const rows: [string, string][] = [
    ['version', i.version],
    ['node', `${i.node} on ${i.platform}`],
    ['native build', `${i.addon.source} (${SOURCE_WORDS[i.addon.source]}), ${i.addon.buildSystem}`],
    ['binary', i.addon.file],
    ['compiler', `${i.addon.compiler}, N-API ${i.addon.napiVersion}`],
    ['CPU features', i.cpuFeatures.join(' ') || '(none detected)'],
    ['kernel set', isaLine],
    ['threads', String(i.numThreads)],
    ['CUDA', i.cuda ? 'built in' : 'not built'],
  ];
  return rows.map(([k, v]) => `${k.padEnd(14)}${v}`).join('\n');
}

export function runInfo(args: readonly string[]): number {
  if (args.includes('--help')) {
    console.log('usage: tensorgrad info [--json]\n  the version, the native build in use, CPU features, kernel set and threads');
    return 0;
  }
  const unknown = args.filter((a) => a !== '--json');
  if (unknown.length > 0) {
    console.error(`tensorgrad info: unknown option ${unknown[0]} (try --help)`);
    return 2;
  }
  const i = info();
  console.log(args.includes('--json') ? JSON.stringify(i, null, 2) : formatInfo(i));
  return 0;
}
