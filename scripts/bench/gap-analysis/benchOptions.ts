import path from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot } from '../../../server/src/config.js';
import type {
  AnalysisUnitsChoice,
  GapAnalysisParameters,
} from '../../../server/src/domain/gap-analysis/gapParameters.js';
import { categoryIds } from '#contract/taxonomy/categories.js';
import { parseNonNegative, parsePositive, parseSizes } from '../lib/cliNumbers.js';
import { type DistanceDecay, distanceDecays } from '../../../server/src/domain/gap-analysis/floatingCatchment.js';

export interface GapBenchOptions {
  /** Service counts in server mode (10k units by default); empty to skip it. */
  serverSizes: number[];
  /** Analysis units in server mode. */
  serverUnits: number;
  /** Service counts in embedded mode; empty to skip it. */
  embeddedSizes: number[];
  embeddedUnits: number;
  /** Measurements of each side (application, baseline), alternating. */
  repeats: number;
  thresholdM: number;
  decay: DistanceDecay;
  seed: number;
  quietWaitS: number;
  keep: boolean;
  reportFile: string | undefined;
  databaseUrl: string | undefined;
}

export const usage = `Usage: npx tsx scripts/bench/gap-analysis.ts [options]

  --sizes=100000,1000000     service counts in server mode (needs DATABASE_URL); "" to skip
  --units=10000              analysis units in server mode
  --embedded-sizes=100000    service counts in embedded mode (PGlite); "" to skip
  --embedded-units=2000      analysis units in embedded mode
  --repeats=3                measurements of each side (application, raw SQL), alternating
  --threshold=10000          catchment d0 in metres
  --decay=stepped            E2SFCA decay: none, stepped, dai_gaussian or gaussian_sigma (σ = d0)
  --seed=42                  seed of the data
  --quiet-wait=20            seconds to wait for other processes to calm down before each measurement
  --keep                     keep the database passerelle_bench_gaps and .tmp/bench-gap-analysis-pglite
  --no-report                print the results without writing docs/benchmarks.md
`;

/** The options every gap analysis benchmark takes: the analysis's d0 and decay, the data's seed, how to measure. */
export const gapRunOptionSpecs = {
  threshold: { type: 'string', default: '10000' },
  decay: { type: 'string', default: 'stepped' },
  seed: { type: 'string', default: '42' },
  'quiet-wait': { type: 'string', default: '20' },
  keep: { type: 'boolean', default: false },
  'no-report': { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
} as const;

export type GapRunOptions = Pick<
  GapBenchOptions,
  'thresholdM' | 'decay' | 'seed' | 'quietWaitS' | 'keep' | 'reportFile' | 'databaseUrl'
>;

/** The values of gapRunOptionSpecs, checked; prints `usage` and exits on --help. */
export function parseGapRunOptions(
  values: {
    threshold: string;
    decay: string;
    seed: string;
    'quiet-wait': string;
    keep: boolean;
    'no-report': boolean;
    help: boolean;
  },
  usageText: string,
  env: NodeJS.ProcessEnv,
): GapRunOptions {
  if (values.help) {
    process.stdout.write(usageText);
    process.exit(0);
  }
  if (!distanceDecays.includes(values.decay as DistanceDecay)) {
    throw new Error(`--decay must be one of ${distanceDecays.join(', ')}, not "${values.decay}".`);
  }
  return {
    thresholdM: parsePositive('threshold', values.threshold),
    decay: values.decay as DistanceDecay,
    seed: Math.round(parsePositive('seed', values.seed)),
    quietWaitS: parseNonNegative('quiet-wait', values['quiet-wait']),
    keep: values.keep,
    reportFile: values['no-report'] ? undefined : path.join(projectRoot, 'docs/benchmarks.md'),
    databaseUrl: env.DATABASE_URL || undefined,
  };
}

/** The parameters of a full recompute, as the benchmarks measure it: every category, E2SFCA. */
export function fullRecomputeParameters(
  units: AnalysisUnitsChoice,
  options: Pick<GapRunOptions, 'thresholdM' | 'decay'>,
): GapAnalysisParameters {
  return {
    units,
    thresholdM: options.thresholdM,
    method: 'e2sfca',
    decay: options.decay,
    belowMeanFraction: 0.5,
    duplicationRadiusM: 500,
    categories: [...categoryIds],
    topics: [],
  };
}

export function parseGapBenchOptions(argv: string[], env: NodeJS.ProcessEnv): GapBenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      sizes: { type: 'string', default: '100000,1000000' },
      units: { type: 'string', default: '10000' },
      'embedded-sizes': { type: 'string', default: '100000' },
      'embedded-units': { type: 'string', default: '2000' },
      repeats: { type: 'string', default: '3' },
      ...gapRunOptionSpecs,
    },
  });
  const common = parseGapRunOptions(values, usage, env);
  return {
    serverSizes: parseSizes(values.sizes),
    serverUnits: Math.round(parsePositive('units', values.units)),
    embeddedSizes: parseSizes(values['embedded-sizes']),
    embeddedUnits: Math.round(parsePositive('embedded-units', values['embedded-units'])),
    repeats: Math.round(parsePositive('repeats', values.repeats)),
    ...common,
  };
}
