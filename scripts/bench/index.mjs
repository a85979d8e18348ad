#!/usr/bin/env node
// `npm run bench -- <name> [options]`: runs scripts/bench/<name>.mjs after making sure the addon
// and dist/ are built. Each benchmark prints a table with a peer measured in the same run.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const names = fs
  .readdirSync(here)
  .filter((f) => f.endsWith('.mjs') && f !== 'index.mjs' && !f.startsWith('_'))
  .map((f) => f.slice(0, -4))
  .sort();

const [name, ...rest] = process.argv.slice(2);
if (!name || name === '--help' || !names.includes(name)) {
  console.log(`usage: npm run bench -- <${names.join('|')}> [--help | options]`);
  process.exit(name && name !== '--help' ? 2 : 0);
}
execFileSync(process.execPath, [path.join(here, '..', 'ensure-built.mjs')], { stdio: 'inherit' });
const mod = await import(pathToFileURL(path.join(here, `${name}.mjs`)).href);
process.exitCode = (await mod.main(rest)) ?? 0;
