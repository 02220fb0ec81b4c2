import path from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot } from '../../../server/src/config.js';
import { parseNonNegative, parsePositive, parseSizes } from '../lib/cliNumbers.js';
import { type Distribution, distributions } from './syntheticServices.js';

export interface BenchOptions {
  /** Service counts for the PostgreSQL server mode; empty to skip it. */
  serverSizes: number[];
  /** Service counts for the embedded (PGlite) mode; empty to skip it. */
  embeddedSizes: number[];
  /** How the services spread over the region: each size runs with each. */
  distributions: Distribution[];
  /** Seconds of each throughput run (raw SQL and API), after the warm-up. */
  durationS: number;
  warmupS: number;
  connections: number;
  /** How many seeded query points; half of them filter on a category. */
  points: number;
  radiusM: number;
  limit: number;
  seed: number;
  /** Seconds to wait for other processes to leave the cores idle before each measurement. */
  quietWaitS: number;
  /** Keep the benchmark database (server) and data folder (embedded) afterwards. */
  keep: boolean;
  /** Where to write the results; undefined to print them only. */
  reportFile: string | undefined;
  databaseUrl: string | undefined;
}

export const usage = `Usage: npx tsx scripts/bench/nearby.ts [options]

  --sizes=100000,1000000       service counts in server mode (needs DATABASE_URL); "" to skip
  --embedded-sizes=100000      service counts in embedded mode (PGlite); "" to skip
  --distributions=uniform,clustered   how services spread: evenly, or mostly in a few dense towns
  --duration=10                seconds of each throughput run
  --warmup=2                   seconds of warm-up before each throughput run
  --connections=20             concurrent connections (raw SQL clients and HTTP)
  --points=1000                seeded query points (half of them with a category filter)
  --radius=5000 --limit=20     the near-me query
  --seed=42                    seed of the data and of the query points
  --quiet-wait=20              seconds to wait for other processes to calm down before each measurement
  --keep                       keep the database passerelle_bench and .tmp/bench-nearby-pglite
  --no-report                  print the results without writing docs/benchmarks.md
`;

export function parseBenchOptions(argv: string[], env: NodeJS.ProcessEnv): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      sizes: { type: 'string', default: '100000,1000000' },
      'embedded-sizes': { type: 'string', default: '100000' },
      distributions: { type: 'string', default: distributions.join(',') },
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '2' },
      connections: { type: 'string', default: '20' },
      points: { type: 'string', default: '1000' },
      radius: { type: 'string', default: '5000' },
      limit: { type: 'string', default: '20' },
      seed: { type: 'string', default: '42' },
      'quiet-wait': { type: 'string', default: '20' },
      keep: { type: 'boolean', default: false },
      'no-report': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(usage);
    process.exit(0);
  }
  return {
    serverSizes: parseSizes(values.sizes),
    embeddedSizes: parseSizes(values['embedded-sizes']),
    distributions: parseDistributions(values.distributions),
    durationS: parsePositive('duration', values.duration),
    warmupS: parsePositive('warmup', values.warmup),
    connections: Math.round(parsePositive('connections', values.connections)),
    points: Math.round(parsePositive('points', values.points)),
    radiusM: parsePositive('radius', values.radius),
    limit: Math.round(parsePositive('limit', values.limit)),
    seed: Math.round(parsePositive('seed', values.seed)),
    quietWaitS: parseNonNegative('quiet-wait', values['quiet-wait']),
    keep: values.keep,
    reportFile: values['no-report'] ? undefined : path.join(projectRoot, 'docs/benchmarks.md'),
    databaseUrl: env.DATABASE_URL || undefined,
  };
}

function parseDistributions(text: string): Distribution[] {
  const names = text.split(',').filter(Boolean);
  for (const name of names) {
    if (!distributions.includes(name as Distribution)) {
      throw new Error(`--distributions: "${name}" is not one of ${distributions.join(', ')}.`);
    }
  }
  return names as Distribution[];
}
