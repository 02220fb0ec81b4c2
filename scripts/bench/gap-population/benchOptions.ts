import { parseArgs } from 'node:util';
import { h3Resolutions } from '../../../server/src/domain/gap-analysis/gapParameters.js';
import { gapRunOptionSpecs, type GapRunOptions, parseGapRunOptions } from '../gap-analysis/benchOptions.js';
import { parsePositive } from '../lib/cliNumbers.js';

export interface GapPopulationOptions extends GapRunOptions {
  /** H3 resolution of the grid over the boundary. */
  resolution: number;
  /** Synthetic services added to the demo ones. */
  services: number;
  /** Share of the 200 m squares listed (populated), before the weighting by towns. */
  populatedShare: number;
  modes: ('server' | 'embedded')[];
}

export const usage = `Usage: npx tsx scripts/bench/gap-population.ts [options]

  --resolution=7           H3 resolution of the grid over Gironde (7: about 2,200 areas; 5: 64, a quick check)
  --services=5000          synthetic services added to the demo Bordeaux alliance's own
  --populated-share=0.15   share of the 200 m squares listed by the synthetic INSEE grid, before weighting by towns
  --modes=server,embedded  server needs DATABASE_URL (database passerelle_bench_gap_population)
  --threshold=10000        catchment d0 in metres
  --decay=stepped          E2SFCA decay: none, stepped, dai_gaussian or gaussian_sigma
  --seed=42                seed of the services and of the population grid
  --quiet-wait=20          seconds to wait for other processes to calm down before each measurement
  --keep                   keep the database and .tmp/bench-gap-population
  --no-report              print the results without writing docs/benchmarks.md
`;

export function parseGapPopulationOptions(argv: string[], env: NodeJS.ProcessEnv): GapPopulationOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      resolution: { type: 'string', default: '7' },
      services: { type: 'string', default: '5000' },
      'populated-share': { type: 'string', default: '0.15' },
      modes: { type: 'string', default: 'server,embedded' },
      ...gapRunOptionSpecs,
    },
  });
  const common = parseGapRunOptions(values, usage, env);
  const resolution = Number(values.resolution);
  if (!Number.isInteger(resolution) || resolution < h3Resolutions.min || resolution > h3Resolutions.max) {
    throw new Error(`--resolution must be a whole number from ${h3Resolutions.min} to ${h3Resolutions.max}.`);
  }
  const modes = values.modes.split(',').filter((mode) => mode !== '');
  for (const mode of modes) {
    if (mode !== 'server' && mode !== 'embedded') throw new Error(`--modes takes server and embedded, not "${mode}".`);
  }
  const populatedShare = parsePositive('populated-share', values['populated-share']);
  if (populatedShare > 1) throw new Error('--populated-share must be at most 1.');
  return {
    resolution,
    services: Math.round(parsePositive('services', values.services)),
    populatedShare,
    modes: modes as GapPopulationOptions['modes'],
    ...common,
  };
}
