import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import type { DatabaseMode } from '../../db/database.js';
import type { Database } from '../../db/schema.js';

/**
 * How finely a long piece of work is cut into statements. The embedded database is one PGlite session lent to one
 * caller at a time, and it computes on the main thread: a run made of short statements lets the requests queued
 * meanwhile go between two of them. A PostgreSQL server gives every request its own connection, so there the
 * fewest, largest statements are best.
 */
export interface Slicing {
  /** About how long one statement should take, in milliseconds; Infinity for no limit. */
  statementMs: number;
}

/** Short enough that a request waiting behind a statement is not noticed; long enough that the run does not crawl. */
export const embeddedSlicing: Slicing = { statementMs: 50 };
export const serverSlicing: Slicing = { statementMs: Number.POSITIVE_INFINITY };

export function slicingFor(mode: DatabaseMode): Slicing {
  return mode === 'embedded' ? embeddedSlicing : serverSlicing;
}

/** Whether the work must be cut by time at all. */
export function isSliced(slicing: Slicing): boolean {
  return Number.isFinite(slicing.statementMs);
}

/**
 * How many items (areas, rows, cells) the next statement takes. It starts at `first` and follows the pace of the
 * statements run so far, so that one takes about `slicing.statementMs`: never more than twice the last size, never
 * fewer than one item. Without a time limit it is always `max`.
 */
export class BatchSizer {
  readonly #slicing: Slicing;
  readonly #max: number;
  #size: number;

  constructor(slicing: Slicing, limits: { first: number; max: number }) {
    this.#slicing = slicing;
    this.#max = limits.max;
    this.#size = isSliced(slicing) ? Math.min(limits.first, limits.max) : limits.max;
  }

  get size(): number {
    return this.#size;
  }

  /**
   * Runs one statement (or a few) over `items` items on one connection and learns from its duration, counted from
   * when the connection is lent: the time spent waiting behind other requests does not shrink the batches. Then
   * lets the event loop take the requests that arrived meanwhile, so that they ask for the connection before the
   * next batch does: PGlite answers within promise callbacks, which a chain of batches would never leave.
   */
  async run<T>(db: Kysely<Database>, items: number, work: (connection: Kysely<Database>) => Promise<T>): Promise<T> {
    // Nothing to learn nor anyone to let go first: as the caller gave it, a transaction included.
    if (!isSliced(this.#slicing)) return work(db);
    const result = await db.connection().execute(async (connection) => {
      const start = performance.now();
      const done = await work(connection);
      this.#learn(items, performance.now() - start);
      return done;
    });
    await nextTurn();
    return result;
  }

  #learn(items: number, elapsedMs: number): void {
    if (items === 0) return;
    const perItem = Math.max(elapsedMs, 0.01) / items;
    const fitting = Math.floor(this.#slicing.statementMs / perItem);
    this.#size = Math.max(1, Math.min(fitting, 2 * this.#size, this.#max));
  }
}
