/**
 * Keras's progress display: on a terminal a bar that redraws in place (step, loss, metrics,
 * samples/s, ETA) with a sparkline of the epoch's batch losses; elsewhere one plain line per epoch.
 */
import { sparkline } from './sparkline';
import type { Logs } from './types';

export interface Writable {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

const BAR = 30;
/** Characters of the loss sparkline: the epoch so far, averaged down to fit. */
const SPARK = 16;

function seconds(s: number): string {
  return s >= 60 ? `${Math.floor(s / 60)}m${Math.round(s % 60)}s` : `${s < 10 ? s.toFixed(1) : Math.round(s)}s`;
}

/** ` - name: value` for each log but lr; `spark` follows the loss, where the eye already is. */
function formatLogs(logs: Logs, spark = ''): string {
  return Object.entries(logs)
    .filter(([k]) => k !== 'lr')
    .map(([k, v]) => ` - ${k}: ${v.toFixed(4)}${k === 'loss' && spark ? ` ${spark}` : ''}`)
    .join('');
}

/**
 * Each batch's own loss, recovered from the running means fit reports (mean * samples is the
 * running sum, so a batch's loss is the step in that sum over the step in samples): the display
 * needs no more from the loop than it already gets.
 */
class BatchLosses {
  readonly values: number[] = [];
  private sum = 0;
  private samples = 0;

  add(samples: number, meanLoss: number | undefined): void {
    if (meanLoss === undefined || samples <= this.samples) return;
    const sum = meanLoss * samples;
    this.values.push((sum - this.sum) / (samples - this.samples));
    this.sum = sum;
    this.samples = samples;
  }
}

export class Progress {
  private start = 0;
  private lastDraw = 0;
  private losses = new BatchLosses();

  constructor(
    private readonly out: Writable,
    private readonly verbose: 0 | 1 | 2,
    private readonly epochs: number,
  ) {}

  private get live(): boolean {
    return this.verbose === 1 && Boolean(this.out.isTTY);
  }

  epochBegin(epoch: number): void {
    this.start = performance.now();
    this.lastDraw = 0;
    this.losses = new BatchLosses();
    if (this.live) this.out.write(`Epoch ${epoch + 1}/${this.epochs}\n`);
  }

  batch(done: number, total: number | null, samples: number, logs: Logs): void {
    if (!this.live) return;
    this.losses.add(samples, logs.loss);
    const now = performance.now();
    if (now - this.lastDraw < 100 && done !== total) return;
    this.lastDraw = now;
    const elapsed = (now - this.start) / 1000;
    const rate = samples / Math.max(elapsed, 1e-9);
    const width = String(total ?? done).length;
    let bar = '';
    let eta = '';
    if (total) {
      const filled = Math.min(BAR, Math.floor((BAR * done) / total));
      bar = ` [${'='.repeat(Math.max(0, filled - 1))}${filled > 0 ? (done === total ? '=' : '>') : ''}${'.'.repeat(BAR - filled)}]`;
      eta = done < total ? ` - ETA: ${seconds((elapsed / done) * (total - done))}` : '';
    }
    const line = `${String(done).padStart(width)}/${total ?? '?'}${bar}${eta}${formatLogs(logs, sparkline(this.losses.values, SPARK))} - ${Math.round(rate).toLocaleString('en-US')} samples/s`;
    this.out.write(`\r${line.slice(0, (this.out.columns ?? 200) - 1)}\u001b[K`);
  }

  epochEnd(epoch: number, batches: number, samples: number, logs: Logs): void {
    if (this.verbose === 0) return;
    const elapsed = (performance.now() - this.start) / 1000;
    const rate = `${Math.round(samples / Math.max(elapsed, 1e-9)).toLocaleString('en-US')} samples/s`;
    const perStep = `${Math.round((1000 * elapsed) / Math.max(batches, 1))}ms/step`;
    if (this.live) this.out.write(`\r${batches}/${batches} - ${seconds(elapsed)} ${perStep}${formatLogs(logs, sparkline(this.losses.values, SPARK))} - ${rate}\u001b[K\n`);
    else this.out.write(`Epoch ${epoch + 1}/${this.epochs} - ${seconds(elapsed)} ${perStep}${formatLogs(logs)} - ${rate}\n`);
  }
}
