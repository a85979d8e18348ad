#!/usr/bin/env node
// The packaging test: prebuild the addon, pack the package, install the tarball into empty
// projects with no compiler on PATH (once normally, once with --ignore-scripts), and check that
// require, import, the TypeScript types and the bin all work on the prebuilt binary.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

if (process.argv.includes('--help')) {
  console.log('usage: node scripts/test-package.mjs [--keep]\n  prebuild, npm pack, install the tarball without compilers, load it');
  process.exit(0);
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tensorgrad-package-'));
const npmCli = path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js');

function sh(cmd, args, opts = {}) {
  console.log(`$ ${cmd} ${args.join(' ')}${opts.cwd ? `   (in ${opts.cwd})` : ''}`);
  return execFileSync(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', ...opts });
}

function check(cond, what) {
  if (!cond) throw new Error(`package test failed: ${what}`);
  console.log(`ok - ${what}`);
}

/** A PATH holding node and npm only: no cc, c++, g++, make, python3, cmake or nvcc. */
function bareBin() {
  const bin = path.join(work, 'bare-bin');
  fs.mkdirSync(bin);
  fs.symlinkSync(process.execPath, path.join(bin, 'node'));
  fs.writeFileSync(path.join(bin, 'npm'), `#!/bin/sh\nexec "${process.execPath}" "${npmCli}" "$@"\n`, { mode: 0o755 });
  fs.symlinkSync('/bin/sh', path.join(bin, 'sh'));
  return bin;
}

// 1. prebuild and pack
sh(process.execPath, [npmCli, 'run', 'prebuild'], { stdio: 'inherit', env: { ...process.env, JOBS: 'max' } });
sh(process.execPath, [npmCli, 'run', 'build:ts'], { stdio: 'inherit' });
const prebuilt = fs.readdirSync(path.join(root, 'prebuilds', `${process.platform}-${process.arch}`));
check(prebuilt.some((f) => f.endsWith('.node')), `prebuilds/${process.platform}-${process.arch} holds ${prebuilt.join(', ')}`);
const packed = JSON.parse(sh(process.execPath, [npmCli, 'pack', '--json', '--ignore-scripts', '--pack-destination', work]));
const tarball = path.join(work, packed[0].filename);
const files = packed[0].files.map((f) => f.path);
check(files.some((f) => f.startsWith('prebuilds/')), 'the tarball ships the prebuilt binary');
check(files.includes('dist/esm/index.mjs') && files.includes('dist/cjs/index.d.ts'), 'the tarball ships both entry points with types');
check(!files.some((f) => f.startsWith('build/') || f.startsWith('test/')), 'the tarball leaves out build/ and test/');

const bin = bareBin();
for (const compiler of ['cc', 'c++', 'g++', 'make', 'python3', 'cmake', 'nvcc']) {
  const found = process.env.PATH !== undefined && bin.split(path.delimiter).some((d) => fs.existsSync(path.join(d, compiler)));
  check(!found, `no ${compiler} on the install PATH`);
}

const consumerCjs = `
const tg = require('tensorgrad');
const t = tg.tensor([[1, 2], [3, 4]]).matmul(tg.ones(2, 1));
if (t.toArray().flat().join(',') !== '3,7') throw new Error('wrong product ' + t);
console.log(JSON.stringify(tg.info()));
`;
const consumerEsm = `
import * as tg from 'tensorgrad';
import tgDefault from 'tensorgrad';
import { createRequire } from 'node:module';
const cjs = createRequire(import.meta.url)('tensorgrad');
if (tg.Tensor !== cjs.Tensor || tgDefault.Tensor !== tg.Tensor) throw new Error('ESM and CJS load different copies');
console.log(String(tg.add(tg.ones(3), 1)));
`;
const consumerTs = {
  'check.mts': `import * as tg from 'tensorgrad';\nconst t: tg.Tensor = tg.zeros(2, 3);\nconst n: number = t.numel();\nconst s: readonly number[] = t.shape;\nexport { n, s };\n`,
  'check.cts': `import tg = require('tensorgrad');\nconst t: tg.Tensor = tg.randn([2]);\nconst i: tg.Info = tg.info();\nexport { t, i };\n`,
};

for (const mode of ['with-scripts', 'ignore-scripts']) {
  const project = path.join(work, mode);
  fs.mkdirSync(project);
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: `consumer-${mode}`, version: '1.0.0', private: true }));
  const env = { ...process.env, PATH: bin, npm_config_build_from_source: '' };
  delete env.npm_config_node_gyp;
  const args = [npmCli, 'install', '--no-audit', '--no-fund', tarball];
  if (mode === 'ignore-scripts') args.push('--ignore-scripts');
  sh(process.execPath, args, { cwd: project, env, stdio: 'inherit' });
  check(!fs.existsSync(path.join(project, 'node_modules', 'tensorgrad', 'build')), `${mode}: nothing was compiled at install`);

  fs.writeFileSync(path.join(project, 'use.cjs'), consumerCjs);
  const info = JSON.parse(sh(process.execPath, ['use.cjs'], { cwd: project, env }).trim());
  check(info.addon.source === 'prebuilt', `${mode}: require() loaded the prebuilt binary (${info.addon.file})`);
  fs.writeFileSync(path.join(project, 'use.mjs'), consumerEsm);
  const esmOut = sh(process.execPath, ['use.mjs'], { cwd: project, env }).trim();
  check(esmOut === 'tensor([2., 2., 2.])', `${mode}: import works and shares one copy with require`);
  const infoText = sh(path.join(project, 'node_modules', '.bin', 'tensorgrad'), ['info'], { cwd: project, env });
  check(/native build\s+prebuilt/.test(infoText), `${mode}: the tensorgrad bin reports the prebuilt binary`);
}

// TypeScript users, ESM and CommonJS, against the installed package's types.
const tsProject = path.join(work, 'with-scripts');
for (const [name, text] of Object.entries(consumerTs)) fs.writeFileSync(path.join(tsProject, name), text);
sh(process.execPath, [
  path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
  '--noEmit', '--strict', '--module', 'node16', '--moduleResolution', 'node16', '--types', 'node',
  '--typeRoots', path.join(root, 'node_modules', '@types'), ...Object.keys(consumerTs),
], { cwd: tsProject, stdio: 'inherit' });
check(true, 'TypeScript compiles an ESM and a CommonJS consumer against the shipped types');

if (!process.argv.includes('--keep')) fs.rmSync(work, { recursive: true, force: true });
console.log('package test passed');
