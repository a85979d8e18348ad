/**
 * Keras's progress display: on a terminal a bar that redraws in place (step, loss, metrics,
 * samples/s, ETA); elsewhere one plain line per epoch.
 */
import type { Logs } from './types';

export interface Writable {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

const BAR = 30;

function seconds(s: number): string {
  return s >= 60 ? `${Math.floor(s / 60)}m${Math.round(s % 60)}s` : `${s < 10 ? s.toFixed(1) : Math.round(s)}s`;
}

function formatLogs(logs: Logs): string {
  return Object.entries(logs)
    .filter(([k]) => k !== 'lr')
    .map(([k, v]) => ` - ${k}: ${v.toFixed(4)}`)
    .join('');
}

export class Progress {
  private start = 0;
  private lastDraw = 0;

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
    if (this.live) this.out.write(`Epoch ${epoch + 1}/${this.epochs}\n`);
  }

  batch(done: number, total: number | null, samples: number, logs: Logs): void {
    if (!this.live) return;
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
    const line = `${String(done).padStart(width)}/${total ?? '?'}${bar}${eta}${formatLogs(logs)} - ${Math.round(rate).toLocaleString('en-US')} samples/s`;
    this.out.write(`\r${line.slice(0, (this.out.columns ?? 200) - 1)}\u001b[K`);
  }

  epochEnd(epoch: number, batches: number, samples: number, logs: Logs): void {
    if (this.verbose === 0) return;
    const elapsed = (performance.now() - this.start) / 1000;
    const rate = `${Math.round(samples / Math.max(elapsed, 1e-9)).toLocaleString('en-US')} samples/s`;
    const perStep = `${Math.round((1000 * elapsed) / Math.max(batches, 1))}ms/step`;
    if (this.live) this.out.write(`\r${batches}/${batches} - ${seconds(elapsed)} ${perStep}${formatLogs(logs)} - ${rate}\u001b[K\n`);
    else this.out.write(`Epoch ${epoch + 1}/${this.epochs} - ${seconds(elapsed)} ${perStep}${formatLogs(logs)} - ${rate}\n`);
  }
}
