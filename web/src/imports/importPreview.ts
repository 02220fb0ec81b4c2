import { pageLanguage, t } from '../i18n/pageLanguage.svelte';
import type {
  CountKey,
  ImportCounts,
  ImportJob,
  ImportProgress,
  ImportRow,
  ImportRowProblem,
  ImportStatus,
  TermTarget,
  VocabularyEntry,
} from './importTypes';

/** While an import is in one of these, the server is working on it and the page polls. */
export function isWorking(status: ImportStatus): boolean {
  return status === 'reading' || status === 'committing';
}

/** How often the page asks how far the server has got. */
export const POLL_INTERVAL_MS = 700;

/**
 * Asks for the import again and again until the server has finished with it (a preview, a commit, a failure),
 * handing every answer to `onUpdate`. `wait` is injectable so that the loop can be tested without a clock.
 */
export async function pollImport(
  read: (signal: AbortSignal) => Promise<ImportJob>,
  onUpdate: (job: ImportJob) => void,
  signal: AbortSignal,
  wait: (ms: number, signal: AbortSignal) => Promise<void> = waitFor,
): Promise<ImportJob> {
  for (;;) {
    const job = await read(signal);
    if (signal.aborted) throw new DOMException('The polling was abandoned.', 'AbortError');
    onUpdate(job);
    if (!isWorking(job.status)) return job;
    await wait(POLL_INTERVAL_MS, signal);
  }
}

function waitFor(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(new DOMException('The polling was abandoned.', 'AbortError'));
      },
      { once: true },
    );
  });
}

/** 0–100, or null when the server does not know the total yet (the bar then shows that it is busy). */
export function progressPercent(progress: ImportProgress | null | undefined): number | null {
  if (!progress || progress.total <= 0) return null;
  return Math.min(100, Math.max(0, Math.round((progress.done / progress.total) * 100)));
}

export interface CountItem {
  key: CountKey;
  label: string;
  value: number;
  /** How the figure asks for attention: a problem to look at, something to decide, or neither. */
  tone: 'plain' | 'problem' | 'decision';
}

const countOrder: { key: CountKey; tone: CountItem['tone'] }[] = [
  { key: 'new', tone: 'plain' },
  { key: 'updated', tone: 'plain' },
  { key: 'unchanged', tone: 'plain' },
  { key: 'gone', tone: 'decision' },
  { key: 'errors', tone: 'problem' },
  { key: 'warnings', tone: 'problem' },
  { key: 'duplicates', tone: 'decision' },
  { key: 'needsPlace', tone: 'decision' },
  { key: 'conflicts', tone: 'decision' },
];

/** The preview's figures in the order a person reads them: what comes in, then what needs a look. */
export function countItems(counts: ImportCounts): CountItem[] {
  return countOrder.map(({ key, tone }) => ({
    key,
    label: t(`imports.counts.${key}`),
    value: counts[key] ?? 0,
    tone: (counts[key] ?? 0) > 0 ? tone : 'plain',
  }));
}

/** The key a vocabulary value has in `vocabularyMapping`: `thematiques:apprendre-francais`. */
export function vocabularyKey(entry: Pick<VocabularyEntry, 'vocabulary' | 'value'>): string {
  return `${entry.vocabulary}:${entry.value}`;
}

/** Unmapped values first (they need a decision), then the most frequent, then alphabetically. */
export function sortVocabulary(entries: readonly VocabularyEntry[]): VocabularyEntry[] {
  return [...entries].sort(
    (a, b) =>
      Number(a.target !== null) - Number(b.target !== null) ||
      b.count - a.count ||
      a.vocabulary.localeCompare(b.vocabulary) ||
      a.value.localeCompare(b.value),
  );
}

/** A target as a select's value: '' (not decided), 'ignore', 'topic:language_courses'… */
export function targetChoice(target: TermTarget | null): string {
  if (!target) return '';
  return target.kind === 'ignore' ? 'ignore' : `${target.kind}:${target.id}`;
}

/** The select's value back as a target; null for "not decided" and for anything the select does not offer. */
export function parseTargetChoice(choice: string): TermTarget | null {
  if (choice === 'ignore') return { kind: 'ignore' };
  const colon = choice.indexOf(':');
  if (colon < 0) return null;
  const kind = choice.slice(0, colon);
  const id = choice.slice(colon + 1);
  if (!id) return null;
  if (kind === 'category' || kind === 'topic' || kind === 'audience') return { kind, id };
  return null;
}

/**
 * The vocabulary choices a person made that differ from what the server has, as `vocabularyMapping` wants them.
 * "Not decided" cannot be sent (the contract has no way to un-map), so it is left out.
 */
export function vocabularyChanges(
  entries: readonly VocabularyEntry[],
  chosen: Readonly<Record<string, string>>,
): Record<string, TermTarget> {
  const changes: Record<string, TermTarget> = {};
  for (const entry of entries) {
    const key = vocabularyKey(entry);
    const choice = chosen[key];
    if (choice === undefined || choice === targetChoice(entry.target)) continue;
    const target = parseTargetChoice(choice);
    if (target) changes[key] = target;
  }
  return changes;
}

/** How many pages `total` rows make at `perPage` a page (at least one, so "page 1 of 1" reads right). */
export function pageCount(total: number, perPage: number): number {
  return Math.max(1, Math.ceil(total / Math.max(1, perPage)));
}

/**
 * The column to offer first when fixing a row: the one the problem names when the row has such a column (the
 * readers name a spreadsheet column by its header), else the first column.
 */
export function columnToFix(row: ImportRow, field: string): string | null {
  const headers = Object.keys(row.cells ?? {});
  if (headers.length === 0) return null;
  const named = headers.find((header) => header === field) ?? headers.find((header) => sameWords(header, field));
  return named ?? headers[0] ?? null;
}

function sameWords(a: string, b: string): boolean {
  const simple = (text: string) =>
    text
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .replace(/[^\p{L}\p{N}]+/gu, '')
      .toLowerCase();
  return simple(a) === simple(b);
}

/**
 * A row's problem in the reader's language when the server gave a code this page has a message for
 * (`imports.problem.<code>` with the server's values), else the server's English sentence.
 */
export function problemText(problem: ImportRowProblem): string {
  if (problem.code && pageLanguage.has(`imports.problem.${problem.code}`)) {
    return t(`imports.problem.${problem.code}`, problem.params);
  }
  return problem.message;
}

/** The `overwrite` list from the ticked "key:field" entries (a row's key in the import, the field's name). */
export function overwriteList(ticked: Iterable<string>): { key: number; field: string }[] {
  const list: { key: number; field: string }[] = [];
  for (const entry of ticked) {
    const colon = entry.indexOf(':');
    const key = Number(entry.slice(0, colon));
    if (colon < 0 || !Number.isInteger(key)) continue;
    list.push({ key, field: entry.slice(colon + 1) });
  }
  return list.sort((a, b) => a.key - b.key || a.field.localeCompare(b.field));
}

export function overwriteKey(key: number, field: string): string {
  return `${key}:${field}`;
}

/** A field's value as the conflicts table shows it: text as it is, a list joined, nothing for no value. */
export function changeText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(changeText).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Whether the import still waits for the person: a preview that has not expired. */
export function isOpenPreview(job: ImportJob, now: Date = new Date()): boolean {
  if (job.status !== 'preview') return false;
  return !job.expiresAt || new Date(job.expiresAt).getTime() > now.getTime();
}

/** The import to show when the tab opens: one being read, previewed or committed, newest first. */
export function currentImport(jobs: readonly ImportJob[], now: Date = new Date()): ImportJob | null {
  return jobs.find((job) => isWorking(job.status) || isOpenPreview(job, now)) ?? null;
}
