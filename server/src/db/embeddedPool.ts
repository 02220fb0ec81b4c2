import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { fastSymbolLookup } from './pgliteSymbolLookup.js';
import { type CheckpointPolicy, defaultCheckpointPolicy } from './checkpoints.js';
import { defaultBundleCacheDir, postgisOnly } from './postgisBundle.js';

export { type CheckpointPolicy, defaultCheckpointPolicy } from './checkpoints.js';

interface PoolQueryResult {
  command: string;
  rowCount: number;
  rows: unknown[];
}

/** The part of a `pg` client that Kysely's PostgresDialect uses. */
export interface EmbeddedClient {
  query(sql: string, parameters: readonly unknown[]): Promise<PoolQueryResult>;
  release(): void;
}

function commandOf(sql: string): string {
  return /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? '';
}

/** Marks SQL texts of several statements, which the embedded pool sends as a script (see EmbeddedPool.connect). */
export const scriptMarker = '-- passerelle: script of several statements';

function isScript(sql: string): boolean {
  return sql.startsWith(scriptMarker);
}

/**
 * Makes one PGlite instance look like a `pg` pool to Kysely.
 *
 * PGlite is a single session, so a transaction would see the statements of
 * every concurrent request. Lending the session to one caller at a time keeps
 * transactions isolated, at the price of running queries one after another.
 *
 * PGlite runs no checkpointer process: without one, everything written stays in
 * pg_wal until the database is closed (6 GB while a national population raster
 * was imported). So, between two loans, the pool takes a checkpoint itself once
 * enough WAL has been written since the last (`CheckpointPolicy`); PostgreSQL
 * then recycles the old segments.
 */
export class EmbeddedPool {
  readonly pglite: PGlite;
  #lastLoan: Promise<void> = Promise.resolve();
  readonly #checkpoints: CheckpointPolicy;
  #lastWalCheck = 0;

  constructor(
    dataDir: string,
    checkpoints: CheckpointPolicy = defaultCheckpointPolicy,
    bundleCacheDir: string = defaultBundleCacheDir,
  ) {
    // fastSymbolLookup first: it must wrap the engine before the others load (see pgliteSymbolLookup.ts).
    const postgis = postgisOnly(bundleCacheDir);
    this.pglite = new PGlite(dataDir, { extensions: { fastSymbolLookup, postgis, btree_gist } });
    this.#checkpoints = checkpoints;
  }

  async connect(): Promise<EmbeddedClient> {
    if (this.pglite.closed) throw new Error('The embedded database is closed.');
    let returnLoan!: () => void;
    const loan = new Promise<void>((resolve) => (returnLoan = resolve));
    const previousLoan = this.#lastLoan;
    this.#lastLoan = previousLoan.then(() => loan);
    await previousLoan;
    const { pglite } = this;
    return {
      async query(sql, parameters) {
        if (parameters.length === 0 && isScript(sql)) {
          // Several statements (the baseline schema): PGlite's query() prepares one statement, exec() sends
          // the text as it is, as `pg` does when there are no parameters. Its last statement answers.
          const results = await pglite.exec(sql);
          const last = results.at(-1);
          return { command: '', rowCount: last?.affectedRows ?? last?.rows.length ?? 0, rows: last?.rows ?? [] };
        }
        const result = await pglite.query(sql, parameters as unknown[]);
        return {
          command: commandOf(sql),
          rowCount: result.affectedRows ?? result.rows.length,
          rows: result.rows,
        };
      },
      release: () => {
        returnLoan();
        this.#checkWal();
      },
    };
  }

  /** Looks at the WAL written since the last checkpoint, at most every `checkEveryMs`, in a loan of its own. */
  #checkWal(): void {
    const now = Date.now();
    if (this.pglite.closed || now - this.#lastWalCheck < this.#checkpoints.checkEveryMs) return;
    this.#lastWalCheck = now;
    void this.#checkpointIfDue().catch(() => {
      // Closed meanwhile, or the check failed: the next loan looks again.
    });
  }

  async #checkpointIfDue(): Promise<void> {
    const client = await this.connect();
    try {
      const { rows } = await client.query(
        'select (pg_current_wal_insert_lsn() - redo_lsn)::float8 as written from pg_control_checkpoint()',
        [],
      );
      if ((rows[0] as { written: number }).written >= this.#checkpoints.afterWalBytes) {
        await client.query('checkpoint', []);
      }
    } finally {
      this.#lastWalCheck = Date.now();
      client.release();
    }
  }

  async end(): Promise<void> {
    await this.#lastLoan;
    await this.pglite.close();
  }
}
