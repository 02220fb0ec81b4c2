import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { postgis } from '@electric-sql/pglite-postgis';

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

/**
 * Makes one PGlite instance look like a `pg` pool to Kysely.
 *
 * PGlite is a single session, so a transaction would see the statements of
 * every concurrent request. Lending the session to one caller at a time keeps
 * transactions isolated, at the price of running queries one after another.
 */
export class EmbeddedPool {
  readonly pglite: PGlite;
  #lastLoan: Promise<void> = Promise.resolve();

  constructor(dataDir: string) {
    this.pglite = new PGlite(dataDir, { extensions: { postgis, btree_gist } });
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
        const result = await pglite.query(sql, parameters as unknown[]);
        return {
          command: commandOf(sql),
          rowCount: result.affectedRows ?? result.rows.length,
          rows: result.rows,
        };
      },
      release: returnLoan,
    };
  }

  async end(): Promise<void> {
    await this.#lastLoan;
    await this.pglite.close();
  }
}
