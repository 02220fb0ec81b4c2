import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../server/src/config.js';
import { type DatabaseHandle, type EmbeddedThread, openDatabase } from '../../server/src/db/database.js';
import { scriptMarker } from '../../server/src/db/embeddedPool.js';
import type { Database } from '../../server/src/db/schema.js';
import { WorkerEmbeddedPool } from '../../server/src/db/workerPool.js';
import { isDatabaseUnavailable } from '../../server/src/plugins/errors.js';
import { embeddedTemplateDir } from '../support/testDatabase.js';

/**
 * `npm start` runs the embedded database in a thread of its own (db/workerPool.ts); scripts and tests run it in
 * theirs. The same statements must give the same answers, the same errors and the same transactions either way.
 */
describe('the embedded database in a worker thread answers as in the caller’s thread', () => {
  const threads: EmbeddedThread[] = ['main', 'worker'];
  const handles = {} as Record<EmbeddedThread, DatabaseHandle>;
  const dirs: string[] = [];

  beforeAll(async () => {
    for (const thread of threads) {
      const dir = path.join(projectRoot, `.tmp/test-db-${thread}-${randomBytes(6).toString('hex')}`);
      fs.cpSync(embeddedTemplateDir(), dir, { recursive: true });
      dirs.push(dir);
      handles[thread] = openDatabase({ databaseUrl: undefined, embeddedDataDir: dir }, { embeddedThread: thread });
      await handles[thread].ping();
    }
  }, 90_000);

  afterAll(async () => {
    for (const thread of threads) await handles[thread]?.close().catch(() => {});
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Runs `work` on both databases and answers both results. */
  async function onBoth<T>(work: (db: Kysely<Database>) => Promise<T>): Promise<Record<EmbeddedThread, T>> {
    return { main: await work(handles.main.db), worker: await work(handles.worker.db) };
  }

  const caught = async (work: Promise<unknown>) => {
    try {
      await work;
    } catch (error) {
      return error as Error & Record<string, unknown>;
    }
    throw new Error('expected an error');
  };

  it('gives back the same values: dates, bytes, JSON, big integers, numerics, arrays, geometries, nulls', async () => {
    const { main, worker } = await onBoth((db) =>
      sql`
        select timestamptz '2026-12-04 10:00:00+01' as at, '\\x00ff10'::bytea as bytes,
               '{"a": [1, {"b": null}], "c": "é"}'::jsonb as json, 9007199254740::int8 as big, 12.5::numeric as num,
               array['x', 'y'] as texts, array[1, 2]::int[] as ints,
               st_asgeojson(st_setsrid(st_point(-0.58, 44.84), 4326)) as point, null::text as nothing,
               ${new Date('2026-01-02T03:04:05Z')}::timestamptz as parameter, ${'l\u2019été'}::text as text
      `.execute(db),
    );
    expect(worker.rows).toEqual(main.rows);
    const row = worker.rows[0] as Record<string, unknown>;
    expect(row.at).toBeInstanceOf(Date);
    expect(row.bytes).toBeInstanceOf(Uint8Array);
    expect(row.json).toEqual({ a: [1, { b: null }], c: 'é' });
  });

  it('rolls back a transaction that fails half way, with the same error and its PostgreSQL fields', async () => {
    const failures = await onBoth(async (db) => {
      const error = await caught(
        db.transaction().execute(async (trx) => {
          await sql`create table half_way (id int primary key, note text)`.execute(trx);
          await sql`insert into half_way values (1, 'first')`.execute(trx);
          await sql`insert into half_way values (1, 'again')`.execute(trx);
        }),
      );
      const left = await sql<{ table: string | null }>`select to_regclass('half_way')::text as table`.execute(db);
      return { error, left: left.rows[0]!.table };
    });
    for (const thread of threads) {
      expect(failures[thread].error).toBeInstanceOf(Error);
      expect(failures[thread].left).toBeNull();
    }
    const fields = (error: Error & Record<string, unknown>) => ({
      message: error.message,
      code: error.code,
      constraint: error.constraint,
      detail: error.detail,
      table: error.table,
    });
    expect(fields(failures.worker.error)).toEqual(fields(failures.main.error));
    expect(failures.worker.error.code).toBe('23505');
  });

  it('keeps one transaction’s statements apart from another running at the same time', async () => {
    const { main, worker } = await onBoth(async (db) => {
      await sql`create table turns (n int)`.execute(db);
      const seen: number[] = [];
      await Promise.all([
        db
          .transaction()
          .execute(async (trx) => {
            await sql`insert into turns values (1)`.execute(trx);
            await new Promise((resolve) => setImmediate(resolve));
            seen.push(Number((await sql<{ n: number }>`select count(*)::int as n from turns`.execute(trx)).rows[0]!.n));
            throw new Error('changed my mind');
          })
          .catch(() => {}),
        db.transaction().execute(async (trx) => {
          await sql`insert into turns values (2)`.execute(trx);
          seen.push(Number((await sql<{ n: number }>`select count(*)::int as n from turns`.execute(trx)).rows[0]!.n));
        }),
      ]);
      const rows = (await sql<{ n: number }>`select n from turns order by n`.execute(db)).rows;
      await sql`drop table turns`.execute(db);
      return { seen, rows };
    });
    expect(worker).toEqual(main);
    expect(worker).toEqual({ seen: [1, 1], rows: [{ n: 2 }] });
  });

  it('runs a script of several statements and answers its last', async () => {
    const script = `${scriptMarker}\ncreate temporary table s (n int); insert into s values (1), (2); select sum(n)::int as total from s;`;
    const { main, worker } = await onBoth((db) => sql.raw(script).execute(db));
    expect(worker.rows).toEqual(main.rows);
    expect(worker.rows).toEqual([{ total: 3 }]);
  });

  it('says the database cannot be reached once closed, as the pool in the thread does', async () => {
    const dir = path.join(projectRoot, `.tmp/test-db-closed-${randomBytes(6).toString('hex')}`);
    fs.cpSync(embeddedTemplateDir(), dir, { recursive: true });
    try {
      const pool = new WorkerEmbeddedPool(dir);
      const client = await pool.connect();
      expect((await client.query('select 1 as one', [])).rows).toEqual([{ one: 1 }]);
      client.release();
      await pool.end();
      const error = await caught(pool.connect());
      expect(isDatabaseUnavailable(error)).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
