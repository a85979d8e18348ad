import type { Logs } from './types';

/** Per-epoch values of every logged quantity, as Keras's History: history.history.valAccuracy[i]. */
export class History {
  readonly epoch: number[] = [];
  readonly history: Record<string, number[]> = {};
  /** Why training stopped early ('earlyStopping', 'aborted'), or null when it ran every epoch. */
  stoppedBecause: string | null = null;

  record(epoch: number, logs: Logs): void {
    this.epoch.push(epoch);
    for (const [k, v] of Object.entries(logs)) (this.history[k] ??= []).push(v);
  }

  toJSON(): { epoch: number[]; history: Record<string, number[]>; stoppedBecause: string | null } {
    return { epoch: this.epoch, history: this.history, stoppedBecause: this.stoppedBecause };
  }

  static fromJSON(json: { epoch: number[]; history: Record<string, number[]>; stoppedBecause?: string | null }): History {
    const h = new History();
    h.epoch.push(...json.epoch);
    Object.assign(h.history, json.history);
    h.stoppedBecause = json.stoppedBecause ?? null;
    return h;
  }
}
