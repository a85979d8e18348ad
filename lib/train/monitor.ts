/** Which way a monitored value improves, shared by the callbacks that watch one (Keras's mode). */

/** 'min': lower is better (a loss); 'max': higher is better; 'auto': max for names containing "acc". */
export type MonitorMode = 'min' | 'max' | 'auto';

/** 1 when lower is better, -1 when higher is: compare sign * value, lower wins. */
export function monitorSign(mode: MonitorMode, monitor: string, owner: string): 1 | -1 {
  if (mode !== 'min' && mode !== 'max' && mode !== 'auto') throw new RangeError(`${owner}: mode must be 'min', 'max' or 'auto', got ${String(mode)}`);
  return mode === 'max' || (mode === 'auto' && /acc/i.test(monitor)) ? -1 : 1;
}
