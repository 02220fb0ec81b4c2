import { LRUCache } from 'lru-cache';
import OpeningHours from 'opening_hours';
import { checkOpeningHours, evaluationProblem } from '../../schedules/openIntervals.js';
import type { ImportedSchedule } from '../importRecord.js';
import { textOrNull } from './cleanText.js';
import type { RecordProblems } from './readingState.js';
import { type CodedMessage, said } from '../../messages/userError.js';

export interface ReadOpeningHours {
  /** Valid `opening_hours`, as the library writes it; null when the text says no hours. */
  openingHours: string | null;
  /** What a person is told when the text was not plain `opening_hours` (read differently, or kept as text). */
  warning: CodedMessage | null;
}

/**
 * Texts already read, with what they gave. Reading one takes the library about a millisecond (it tries its spelling
 * corrections on every word), and a directory repeats the same hours many times ("Mo-Fr 09:00-12:00,14:00-17:00; PH
 * off"), so an import of 100,000 records would spend minutes reading the same few thousand texts again.
 */
const alreadyRead = new LRUCache<string, ReadOpeningHours>({ max: 20_000 });

/**
 * Opening hours from a text meant to be OpenStreetMap `opening_hours`. The library understands common slips ("lundi
 * 9h-12h", "Mo-F") and writes them properly: those are taken with a warning saying how they were read. A text that
 * holds no hours ("By appointment") or that the library cannot read gives no opening hours.
 */
export function readOpeningHours(text: string): ReadOpeningHours {
  let read = alreadyRead.get(text);
  if (!read) {
    read = readOnce(text);
    alreadyRead.set(text, read);
  }
  return read;
}

function readOnce(text: string): ReadOpeningHours {
  let schedule: OpeningHours;
  try {
    schedule = new OpeningHours(text, null);
  } catch {
    return { openingHours: null, warning: checkOpeningHours(text) ?? said('opening-hours.not-valid') };
  }
  const written = schedule.prettifyValue();
  if (/^"[^"]*"$/.test(written)) {
    return { openingHours: null, warning: said('opening-hours.no-hours', { text }) };
  }
  // A text written as the library writes it is checked as it was read; one it rewrote is read again as written.
  const problem = written === text ? evaluationProblem(schedule) : checkOpeningHours(written);
  if (problem) return { openingHours: null, warning: problem };
  // Warnings about a text written as it should be (a date range now past) are not about how it was read.
  if (written === text) return { openingHours: text, warning: null };
  return { openingHours: written, warning: said('opening-hours.read-as', { text, written }) };
}

/**
 * A schedule from a text meant to be `opening_hours` (data·inclusion's `horaires_accueil`, a spreadsheet's opening
 * hours column). What the text says is never lost: a text read differently, or not read, stays as the description.
 */
export function openingHoursSchedule(value: unknown, field: string, problems: RecordProblems): ImportedSchedule[] {
  const text = textOrNull(value);
  if (text === null) return [];
  const { openingHours, warning } = readOpeningHours(text);
  if (warning === null) return [{ openingHours, description: null, note: null }];
  if (openingHours !== null) {
    problems.warning(field, warning);
    return [{ openingHours, description: text, note: null }];
  }
  problems.warning(field, {
    ...said('import.hours-kept-as-description', { ...warning.params, text }),
    message: `${warning.message} The text was kept as a description.`,
  });
  return [{ openingHours: null, description: text, note: 'Not in the opening_hours syntax; kept as text.' }];
}
