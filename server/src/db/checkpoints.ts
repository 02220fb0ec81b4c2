/** When the embedded database checkpoints: see EmbeddedPool. */
export interface CheckpointPolicy {
  /** A checkpoint is taken once this much WAL has been written since the last one. */
  afterWalBytes: number;
  /** How often, at most, the WAL written is looked at, after a loan ends. */
  checkEveryMs: number;
}

/** About a quarter of PostgreSQL's max_wal_size: a checkpoint then writes at most PGlite's 128 MB of buffers. */
export const defaultCheckpointPolicy: CheckpointPolicy = { afterWalBytes: 256 * 1024 * 1024, checkEveryMs: 5000 };
