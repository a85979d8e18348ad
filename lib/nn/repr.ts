/** Numbers in module descriptions as Python prints them (1e-05, 0.1), since the form is PyTorch's. */
export function pyNumber(n: number): string {
  if (Number.isInteger(n) || n === 0 || !Number.isFinite(n)) return String(n);
  const abs = Math.abs(n);
  if (abs >= 1e-4 && abs < 1e16) return String(n);
  return n.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
}
