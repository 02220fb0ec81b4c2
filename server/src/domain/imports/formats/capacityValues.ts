import { type CodedMessage, said } from '../../messages/userError.js';

/** The longest capacity unit the database keeps ("places", "staff hours a week"). */
export const maxCapacityUnitLength = 100;

/**
 * A service's capacity as a source gives it — a JSON number, or a cell's text with a decimal point or comma and
 * spaces between thousands ("1 200", "7,5") —, or null when it gives none. `problem` says why a value cannot be a
 * capacity: a text, zero or less (the database takes only more than 0: no capacity is "none given", not 0).
 */
export function capacityOf(value: unknown): { capacity: number | null; problem: CodedMessage | null } {
  if (value === null || value === undefined) return { capacity: null, problem: null };
  const text = String(value).trim();
  if (text === '') return { capacity: null, problem: null };
  const written = text.replace(/[\s\u00a0\u202f']/g, '').replace(',', '.');
  const number = typeof value === 'number' ? value : /^[-+]?\d+(\.\d+)?$/.test(written) ? Number(written) : NaN;
  if (!Number.isFinite(number)) {
    return { capacity: null, problem: said('import.capacity-not-number', { text }) };
  }
  if (number <= 0) {
    return { capacity: null, problem: said('import.capacity-not-positive', { text }) };
  }
  return { capacity: number, problem: null };
}
