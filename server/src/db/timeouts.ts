/**
 * How long the server-mode pool waits, so that a lost or overloaded database answers 503 in seconds instead of
 * holding requests for as long as a network partition lasts. 0 turns a limit off. The embedded database runs in
 * the process and has none of these.
 */
export interface DatabaseTimeouts {
  /** The longest a statement may run: PostgreSQL cancels it (statement_timeout, error 57014). */
  statementMs: number;
  /**
   * How long to wait for a statement's answer before giving the connection up (pg's query_timeout): a database
   * that stopped answering — a partition: the network drops packets without closing anything — is noticed only
   * this way. Longer than `statementMs`, so that a slow statement gets the server's own, clearer, answer.
   */
  queryMs: number;
  /** How long opening a connection, or waiting for a free one in the pool, may take. */
  connectMs: number;
  /** How long a transaction may sit idle before PostgreSQL ends its session, releasing its locks. */
  idleInTransactionMs: number;
}

/**
 * Generous enough for a gap analysis, whose longest statements take a few seconds (about 12 s per category at
 * 10,000 areas × 1M services, docs/benchmarks.md), and short enough that no request waits for long.
 */
export const defaultDatabaseTimeouts: DatabaseTimeouts = {
  statementMs: 30_000,
  queryMs: 35_000,
  connectMs: 5_000,
  idleInTransactionMs: 60_000,
};

/** For scripts a person runs and watches (migrations, seeds, benchmark loads): statements may take their time. */
export const scriptDatabaseTimeouts: DatabaseTimeouts = { ...defaultDatabaseTimeouts, statementMs: 0, queryMs: 0 };
