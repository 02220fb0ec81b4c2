import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type CheckpointPolicy, EmbeddedPool } from '../../server/src/db/embeddedPool.js';

/**
 * PGlite has no checkpointer process: the embedded pool takes checkpoints itself between loans, so that pg_wal does
 * not keep everything written since the database was opened.
 */
const folders: string[] = [];
const pools: EmbeddedPool[] = [];

afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.end()));
  for (const folder of folders.splice(0)) fs.rmSync(folder, { recursive: true, force: true });
});

function openPool(policy: CheckpointPolicy): EmbeddedPool {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'passerelle-checkpoint-'));
  folders.push(folder);
  const pool = new EmbeddedPool(folder, policy);
  pools.push(pool);
  return pool;
}

async function lastCheckpoint(pool: EmbeddedPool): Promise<{ redo: string; written: number }> {
  const client = await pool.connect();
  try {
    const { rows } = await client.query(
      'select redo_lsn::text as redo, (pg_current_wal_insert_lsn() - redo_lsn)::float8 as written from pg_control_checkpoint()',
      [],
    );
    return rows[0] as { redo: string; written: number };
  } finally {
    client.release();
  }
}

/** About 10 MB of WAL in one loan. */
async function writeRows(pool: EmbeddedPool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query(`create table filler as select g, repeat('x', 200) as v from generate_series(1, 40000) g`, []);
  } finally {
    client.release();
  }
}

async function settled(pool: EmbeddedPool): Promise<void> {
  // The check runs in a loan queued after the one released; a loan taken now waits for it.
  (await pool.connect()).release();
}

describe('checkpoints of the embedded database', () => {
  it('takes one after a loan once more WAL than the policy allows was written since the last', async () => {
    const pool = openPool({ afterWalBytes: 1024 * 1024, checkEveryMs: 0 });
    const before = await lastCheckpoint(pool);
    await writeRows(pool);
    await settled(pool);
    const after = await lastCheckpoint(pool);
    expect(after.redo).not.toBe(before.redo);
    expect(after.written).toBeLessThan(1024 * 1024);
  });

  it('takes none while less WAL than that was written', async () => {
    const pool = openPool({ afterWalBytes: 1024 * 1024 * 1024, checkEveryMs: 0 });
    const before = await lastCheckpoint(pool);
    await writeRows(pool);
    await settled(pool);
    const after = await lastCheckpoint(pool);
    expect(after.redo).toBe(before.redo);
    expect(after.written).toBeGreaterThan(5 * 1024 * 1024);
  });
});
