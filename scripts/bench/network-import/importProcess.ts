import { openDatabase, scriptDatabaseTimeouts } from '../../../server/src/db/database.js';
import { slicingFor } from '../../../server/src/domain/gap-analysis/batchSizer.js';
import { osmFormatOf } from '../../../server/src/domain/road-network/osmFiles.js';
import { createNetwork, findNetwork, runNetworkImport } from '../../../server/src/domain/road-network/roadNetworks.js';
import { benchResultPrefix } from '../lib/benchProcess.js';

/**
 * One import of the road network benchmark, alone in its process so that its peak memory is its own: the
 * application's import (createNetwork, runNetworkImport, cut into statements as the server cuts them) of the file
 * given. Prints BENCH_RESULT {"ms", "peakRssMb", "nodes", "edges", "status"}.
 *
 * Environment: BENCH_DATABASE_URL or BENCH_EMBEDDED_DIR, BENCH_ALLIANCE_ID; argument: the file.
 */
const [file] = process.argv.slice(2) as [string];
const allianceId = process.env.BENCH_ALLIANCE_ID!;
const database = openDatabase({
  databaseUrl: process.env.BENCH_DATABASE_URL || undefined,
  embeddedDataDir: process.env.BENCH_EMBEDDED_DIR ?? '',
  databaseTimeouts: scriptDatabaseTimeouts,
});
let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
try {
  const start = performance.now();
  const name = file.split('/').pop()!;
  const format = await osmFormatOf(file, name);
  const id = await createNetwork(database.db, { allianceId, accountId: null, sourceName: name });
  await runNetworkImport(
    database.db,
    id,
    { path: file, name, format },
    { slicing: slicingFor(database.mode), onUnexpectedError: (error) => console.error(error) },
  );
  const ms = performance.now() - start;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const network = (await findNetwork(database.db, allianceId, id))!;
  if (network.status !== 'active') throw new Error(`The import ended ${network.status}: ${network.error}`);
  process.stdout.write(
    `${benchResultPrefix}${JSON.stringify({
      ms,
      peakRssMb: peakRss / 1024 / 1024,
      nodes: network.nodeCount,
      edges: network.edgeCount,
    })}\n`,
  );
} finally {
  clearInterval(sampler);
  await database.close();
}
