// `node scripts/bench/batchnorm.mjs [--threads 2]`: BatchNorm2d(32) on [128, 32, 28, 28] in
// training mode, forward alone and forward + backward; median of 5 after a warm-up.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const tg = require('../../dist/cjs/index.js');
const at = process.argv.indexOf('--threads');
tg.setNumThreads(at > 0 ? Number(process.argv[at + 1]) : 2);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function time(fn) {
  fn();
  const ms = [];
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    fn();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

const bn = new tg.nn.BatchNorm2d(32);
const x = tg.randn([128, 32, 28, 28]).requiresGrad_();
const fwd = time(() => tg.noGrad(() => bn(x)));
const both = time(() => bn(x).sum().backward());
bn.eval();
const evalFwd = time(() => tg.noGrad(() => bn(x)));
console.log(`threads ${tg.getNumThreads()}: train forward ${fwd.toFixed(2)} ms, train forward+backward ${both.toFixed(2)} ms, eval forward ${evalFwd.toFixed(2)} ms`);
