/**
 * Whether ops record a graph. noGrad / enableGrad scope the mode to a function call and to
 * everything it awaits (AsyncLocalStorage), so an async training loop and a concurrent evaluation
 * do not switch each other's mode. setGradEnabled sets the default outside any scope.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const scope = new AsyncLocalStorage<boolean>();
let enabledByDefault = true;

export function isGradEnabled(): boolean {
  return scope.getStore() ?? enabledByDefault;
}

/** Runs fn (sync or async) with gradient recording off, and returns what it returns. */
export function noGrad<T>(fn: () => T): T {
  return scope.run(false, fn);
}

/** Runs fn (sync or async) with gradient recording on, inside a noGrad scope too. */
export function enableGrad<T>(fn: () => T): T {
  return scope.run(true, fn);
}

/** Sets the mode outside noGrad / enableGrad scopes, as torch.set_grad_enabled does. */
export function setGradEnabled(enabled: boolean): void {
  if (typeof enabled !== 'boolean') throw new TypeError(`setGradEnabled: expected a boolean, got ${typeof enabled}`);
  enabledByDefault = enabled;
}
