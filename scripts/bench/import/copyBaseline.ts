import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';

/**
 * The import benchmark's floor: the rows the application wrote, loaded again with PostgreSQL's `COPY` (psql's
 * `\copy`, a client-side COPY FROM STDIN: no superuser needed, no file on the server) into the same tables of a
 * fresh database. The CSV files are written once from the application's database, outside any timing.
 */

/** The tables an import writes, parents first (the order of their foreign keys). */
export const importedTables = [
  'import_source',
  'organization',
  'location',
  'service',
  'service_at_location',
  'schedule',
] as const;

export interface CopyFiles {
  table: string;
  columns: string[];
  file: string;
  rows: number;
}

/** The columns one can write: not generated, not identity always (these PostgreSQL computes itself). */
async function writableColumns(client: pg.Client, table: string): Promise<string[]> {
  const { rows } = await client.query<{ column_name: string }>(
    `select column_name from information_schema.columns
     where table_schema = 'public' and table_name = $1 and is_generated = 'NEVER'
       and coalesce(identity_generation, '') <> 'ALWAYS'
     order by ordinal_position`,
    [table],
  );
  return rows.map((row) => row.column_name);
}

function psql(databaseUrl: string, script: string): void {
  execFileSync(process.env.PSQL ?? 'psql', [databaseUrl, '-v', 'ON_ERROR_STOP=1', '-q', '-X', '-c', script], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** Writes every row of the imported tables of `databaseUrl` to CSV files in `folder` (not timed). */
export async function writeCopyFiles(databaseUrl: string, folder: string): Promise<CopyFiles[]> {
  fs.mkdirSync(folder, { recursive: true });
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const files: CopyFiles[] = [];
    for (const table of importedTables) {
      const columns = await writableColumns(client, table);
      const file = path.join(folder, `${table}.csv`);
      const list = columns.map((column) => `"${column}"`).join(', ');
      psql(databaseUrl, `\\copy (select ${list} from ${table}) to '${file}' with (format csv)`);
      const { rows } = await client.query<{ count: string }>(`select count(*) from ${table}`);
      files.push({ table, columns, file, rows: Number(rows[0]!.count) });
    }
    return files;
  } finally {
    await client.end();
  }
}

/**
 * Loads the files into `databaseUrl` in one transaction, one `\copy` per table, and returns the milliseconds.
 * With `history: true` the history triggers run as they do for the import (a change log row per record, one change
 * set); with `false` they are turned off as bulk loads do (`passerelle.history = off`).
 */
export function copyLoad(databaseUrl: string, files: CopyFiles[], history: boolean): number {
  const lines = [history ? '' : `select set_config('passerelle.history', 'off', true);`];
  for (const { table, columns, file } of files) {
    lines.push(
      `\\copy ${table} (${columns.map((column) => `"${column}"`).join(', ')}) from '${file}' with (format csv)`,
    );
  }
  const script = path.join(path.dirname(files[0]!.file), `load-${history ? 'history' : 'plain'}.sql`);
  fs.writeFileSync(script, `begin;\n${lines.join('\n')}\ncommit;\n`);
  const start = performance.now();
  execFileSync(process.env.PSQL ?? 'psql', [databaseUrl, '-v', 'ON_ERROR_STOP=1', '-q', '-X', '-f', script], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return performance.now() - start;
}
