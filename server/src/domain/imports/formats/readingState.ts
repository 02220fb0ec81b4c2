import type { ImportItem, ReadOptions, RecordPlace, RowProblem } from '../importRecord.js';
import { capacityOf, maxCapacityUnitLength } from './capacityValues.js';
import { emailOf, textOrNull, webAddressOf } from './cleanText.js';
import { type CodedMessage, said } from '../../messages/userError.js';

/** The problems of one record, each placed where the record stands. */
export class RecordProblems {
  readonly list: RowProblem[] = [];
  readonly place: RecordPlace;

  constructor(place: RecordPlace) {
    this.place = { ...place };
  }

  error(field: string, message: CodedMessage): void {
    this.list.push({ ...this.place, field, ...message, severity: 'error' });
  }

  warning(field: string, message: CodedMessage): void {
    this.list.push({ ...this.place, field, ...message, severity: 'warning' });
  }

  get hasErrors(): boolean {
    return this.list.some((problem) => problem.severity === 'error');
  }

  /** A web address, or null with a warning when the source's text is not one. */
  webAddress(field: string, value: unknown): string | null {
    const { url, rejected } = webAddressOf(value);
    if (rejected !== null) {
      this.warning(field, said('import.not-web-address', { value: rejected }));
    }
    return url;
  }

  /** An e-mail address, or null with a warning when the source's text is not one. */
  email(field: string, value: unknown): string | null {
    const { email, rejected } = emailOf(value);
    if (rejected !== null) this.warning(field, said('import.not-email', { value: rejected }));
    return email;
  }

  /** A service's capacity, or null; a value that is not a number above 0 is an error that keeps the service out. */
  capacity(field: string, value: unknown): number | null {
    const { capacity, problem } = capacityOf(value);
    if (problem !== null) this.error(field, problem);
    return capacity;
  }

  /** What a capacity counts ("places"), or null; a unit too long for the database is an error. */
  capacityUnit(field: string, value: unknown): string | null {
    const unit = textOrNull(value);
    if (unit !== null && unit.length > maxCapacityUnitLength) {
      this.error(field, said('import.capacity-unit-too-long', { length: unit.length, max: maxCapacityUnitLength }));
      return null;
    }
    return unit;
  }

  /** The problems as items, after the record they are about. */
  items(): ImportItem[] {
    return this.list.map((problem) => ({ kind: 'problem', problem }));
  }
}

/**
 * A copy of a string that shares no memory with the text it was cut from. A parser's strings can be slices of the
 * chunk they were read in: keeping one id of each record for the whole reading would keep every chunk, i.e. the
 * whole file.
 */
export function ownString(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}

interface Reference {
  place: RecordPlace;
  field: string;
  kind: 'organization' | 'location';
  sourceId: string;
}

/**
 * What a reader remembers while it reads: the ids it has seen (a repeated one is an error on its second record) and
 * the references between records, which are checked once everything is read, since a service may come before the
 * organisation it names.
 */
export class ReadingState {
  private readonly seen = new Map<string, Set<string>>();
  private readonly references: Reference[] = [];

  constructor(readonly options: ReadOptions) {}

  /** true the second time an id of this kind is met in the same file. */
  isRepeated(kind: string, file: string | undefined, sourceId: string): boolean {
    const key = `${kind}\u0000${file ?? ''}`;
    let ids = this.seen.get(key);
    if (!ids) this.seen.set(key, (ids = new Set()));
    if (ids.has(sourceId)) return true;
    ids.add(ownString(sourceId));
    return false;
  }

  private known(kind: string, sourceId: string): boolean {
    for (const [key, ids] of this.seen) if (key.startsWith(`${kind}\u0000`) && ids.has(sourceId)) return true;
    return false;
  }

  /** Remembers that a record names another, unless that one was already read (then nothing is left to check). */
  refer(place: RecordPlace, field: string, kind: Reference['kind'], sourceId: string): void {
    if (this.known(kind, sourceId)) return;
    const ownPlace: RecordPlace = { row: place.row };
    if (place.file !== undefined) ownPlace.file = ownString(place.file);
    if (place.sourceId !== undefined) ownPlace.sourceId = ownString(place.sourceId);
    this.references.push({ place: ownPlace, field, kind, sourceId: ownString(sourceId) });
  }

  /** An error for each reference to a record the files did not hold. */
  unresolvedReferences(): ImportItem[] {
    return this.references
      .filter((reference) => !this.known(reference.kind, reference.sourceId))
      .map(({ place, field, kind, sourceId }) => ({
        kind: 'problem',
        problem: {
          ...place,
          field,
          ...(kind === 'organization'
            ? said('import.organization-not-in-file', { sourceId })
            : said('import.location-not-in-file', { sourceId })),
          severity: 'error',
        },
      }));
  }
}
