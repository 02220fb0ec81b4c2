import pg from 'pg';

/** The connection string of `databaseName` on the server that `databaseUrl` names. */
export function databaseUrlOn(databaseUrl: string, databaseName: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${databaseName}`;
  return url.toString();
}

async function withAdminClient<T>(databaseUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Drops a benchmark's database, closing whatever connections are left on it. */
export async function dropDatabase(databaseUrl: string, databaseName: string): Promise<void> {
  await withAdminClient(databaseUrl, (client) => client.query(`drop database if exists ${databaseName} with (force)`));
}

/** A fresh, empty database for one benchmark size: whatever an earlier run left is dropped first. */
export async function recreateDatabase(databaseUrl: string, databaseName: string): Promise<string> {
  await dropDatabase(databaseUrl, databaseName);
  await withAdminClient(databaseUrl, (client) => client.query(`create database ${databaseName}`));
  return databaseUrlOn(databaseUrl, databaseName);
}
