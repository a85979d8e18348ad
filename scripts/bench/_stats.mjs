// Timing helpers shared by the benchmarks: medians over repeated runs, since these machines are
// noisy and single times mislead.

/** Median of the seconds one call of fn takes, over `repeats` timed batches after a warm-up. */
export function medianSeconds(fn, { minSeconds = 0.2, repeats = 7 } = {}) {
  fn();
  let inner = 1;
  for (;;) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < inner; i++) fn();
    const dt = Number(process.hrtime.bigint() - t0) / 1e9;
    if (dt * repeats >= minSeconds || inner >= 1 << 20) break;
    inner *= 2;
  }
  const times = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < inner; i++) fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e9 / inner);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** Prints rows of objects as an aligned text table with the given column order. */
export function printTable(rows, columns) {
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c] ?? '').length)));
  const line = (cells) => cells.map((v, i) => String(v).padStart(widths[i])).join('  ');
  console.log(line(columns));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const r of rows) console.log(line(columns.map((c) => r[c] ?? '')));
}
