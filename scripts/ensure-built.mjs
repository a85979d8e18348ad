#!/usr/bin/env node
// Builds what `npm test` needs and is missing or older than its sources: the addon (node-gyp,
// into build/Release) and the compiled TypeScript (dist/). With TENSORGRAD_ADDON_PATH set, the
// addon named there is used as it is.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

if (process.argv.includes('--help')) {
  console.log('usage: node scripts/ensure-built.mjs\n  rebuilds the addon and dist/ when they are missing or stale');
  process.exit(0);
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function newestMtime(paths) {
  let newest = 0;
  for (const p of paths) {
    const full = path.join(root, p);
    if (!fs.existsSync(full)) continue;
    const st = fs.statSync(full);
    if (st.isDirectory()) {
      newest = Math.max(newest, newestMtime(fs.readdirSync(full).map((e) => path.join(p, e))));
    } else {
      newest = Math.max(newest, st.mtimeMs);
    }
  }
  return newest;
}

function stale(output, inputs) {
  const out = path.join(root, output);
  return !fs.existsSync(out) || fs.statSync(out).mtimeMs < newestMtime(inputs);
}

function run(cmd, args) {
  console.log(`ensure-built: ${cmd} ${args.join(' ')}`);
  execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });
}

if (!process.env.TENSORGRAD_ADDON_PATH && stale('build/Release/tensorgrad.node', ['native', 'binding.gyp'])) {
  // npm names its own node-gyp for scripts; outside npm, let npm run the build script.
  const gyp = process.env.npm_config_node_gyp;
  if (gyp) run(process.execPath, [gyp, 'rebuild', '-j', 'max']);
  else run('npm', ['run', '--silent', 'build:native']);
}
if (stale('dist/cjs/index.js', ['lib', 'tsconfig.json'])) run(process.execPath, ['scripts/build-ts.mjs']);
