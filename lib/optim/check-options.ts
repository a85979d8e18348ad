/**
 * The hyperparameter checks of torch.optim's constructors, in their words ("Invalid learning
 * rate: -1"), with tensorgrad's camelCase option names. A value of the wrong type is a TypeError
 * that names the optimizer; a value out of range is a RangeError.
 */

function checkNumber(value: unknown, name: string, owner: string): asserts value is number {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new TypeError(`${owner}: ${name} must be a number, got ${typeof value === 'number' ? 'NaN' : describe(value)}`);
  }
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  return typeof value === 'object' ? (value.constructor?.name ?? 'object') : `${typeof value} ${String(value)}`;
}

export function checkLr(lr: unknown, owner: string): void {
  checkNumber(lr, 'lr', owner);
  if (!(lr >= 0)) throw new RangeError(`Invalid learning rate: ${lr}`);
}

export function checkEps(eps: unknown, owner: string): void {
  checkNumber(eps, 'eps', owner);
  if (!(eps >= 0)) throw new RangeError(`Invalid epsilon value: ${eps}`);
}

/** momentum, weightDecay, alpha, lrDecay, initialAccumulatorValue: "Invalid <name> value: -1". */
export function checkNonNegative(value: unknown, name: string, owner: string): void {
  checkNumber(value, name, owner);
  if (!(value >= 0)) throw new RangeError(`Invalid ${name} value: ${value}`);
}

export function checkFinite(value: unknown, name: string, owner: string): void {
  checkNumber(value, name, owner);
  if (!Number.isFinite(value)) throw new RangeError(`Invalid ${name} value: ${value}`);
}

/** Adam's betas: two numbers, each in [0, 1). */
export function checkBetas(betas: unknown, owner: string): void {
  if (!Array.isArray(betas) || betas.length !== 2) throw new TypeError(`${owner}: betas must be an array of two numbers, got ${describe(betas)}`);
  betas.forEach((b: unknown, i) => {
    checkNumber(b, `betas[${i}]`, owner);
    if (!(b >= 0 && b < 1)) throw new RangeError(`Invalid beta parameter at index ${i}: ${b}`);
  });
}

export function checkFlags(options: object, names: readonly string[], owner: string): void {
  const values = options as Record<string, unknown>;
  for (const name of names) {
    if (typeof values[name] !== 'boolean') throw new TypeError(`${owner}: ${name} must be a boolean, got ${describe(values[name])}`);
  }
}
