/** Comma-separated data sizes from the command line (`100000,1_000_000`); an empty text means none. */
export function parseSizes(text: string): number[] {
  if (text.trim() === '') return [];
  return text.split(',').map((part) => {
    const size = Number(part.replaceAll('_', ''));
    if (!Number.isInteger(size) || size < 1000) throw new Error(`A size must be a whole number ≥ 1000, not "${part}".`);
    return size;
  });
}

export function parsePositive(name: string, text: string): number {
  const value = Number(text.replaceAll('_', ''));
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number, not "${text}".`);
  return value;
}

export function parseNonNegative(name: string, text: string): number {
  const value = Number(text.replaceAll('_', ''));
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be zero or more, not "${text}".`);
  return value;
}
