import type { Logs } from './types';

/** A History as plain data: what toJSON gives, what fromJSON and checkpoints take. */
export interface HistoryJSON {
  epoch: number[];
  history: Record<string, number[]>;
  stoppedBecause?: string | null;
}

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

  static fromJSON(json: HistoryJSON): History {
    if (json === null || typeof json !== 'object' || !Array.isArray(json.epoch) || json.history === null || typeof json.history !== 'object') {
      throw new TypeError('History.fromJSON: expected { epoch: number[], history: { name: number[] } }');
    }
    const h = new History();
    h.epoch.push(...json.epoch);
    for (const [k, v] of Object.entries(json.history)) h.history[k] = [...v];
    h.stoppedBecause = json.stoppedBecause ?? null;
    return h;
  }
}
