import { createHash } from 'node:crypto';
import pg from 'pg';

/** SQL text → statement name, for the queries registered with `prepareOnEachConnection`. */
const statementNames = new Map<string, string>();

/**
 * Each registered text stays prepared on each pooled connection until the
 * connection closes; the bound keeps a mistaken registration of ever-changing
 * texts from growing without limit.
 */
const maxStatements = 32;

/**
 * Asks the server-mode pool to run this SQL text as a named prepared statement:
 * PostgreSQL then parses and plans it once per connection instead of on every
 * call, and executes a cached plan. Worth it for hot queries whose text has
 * few shapes and whose plan does not depend on the values, such as the near-me
 * query, where parsing and planning cost about as much as executing (see
 * docs/benchmarks.md). The embedded database ignores it.
 */
export function prepareOnEachConnection(sqlText: string): void {
  if (statementNames.has(sqlText) || statementNames.size >= maxStatements) return;
  const digest = createHash('sha1').update(sqlText).digest('hex').slice(0, 20);
  statementNames.set(sqlText, `passerelle_${digest}`);
}

/**
 * A `pg` client that sends registered SQL texts as named statements; every
 * other query goes out as before (an unnamed statement, or the simple protocol
 * when it has no parameters, which multi-statement scripts need).
 */
export class PreparingClient extends pg.Client {
  override query(...args: any[]): any {
    const [text, values, callback] = args;
    const name = typeof text === 'string' && Array.isArray(values) ? statementNames.get(text) : undefined;
    if (name === undefined) return (super.query as (...forwarded: unknown[]) => unknown)(...args);
    return super.query({ name, text, values }, callback);
  }
}
