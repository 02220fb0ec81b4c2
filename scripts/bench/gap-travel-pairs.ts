/**
 * The part of a gap analysis in minutes that follows the travel-time matrix, on synthetic pairs (no database, no
 * engine): a run's measures from its pairs (travelMeasures.ts: nearest time, count, 2SFCA, E2SFCA for each subject)
 * and a what-if adding one service (scenarios.ts: before and after from the same pairs), at 10,000 areas and 1,000
 * service locations of three categories, each area reaching `PAIRS_PER_AREA` locations within 30 minutes.
 * The matrix itself (and the added service's one-column matrix) is the travel-time benchmark's
 * (scripts/bench/travel-time/). Run: npx tsx scripts/bench/gap-travel-pairs.ts
 */
import { performance } from 'node:perf_hooks';
import type { GapAnalysisParameters } from '../../server/src/domain/gap-analysis/gapParameters.js';
import { compareScenario, withScenario } from '../../server/src/domain/gap-analysis/scenarios.js';
import { measuresFromPairs } from '../../server/src/domain/gap-analysis/travelMeasures.js';

const AREAS = Number(process.env.AREAS ?? 10_000);
const LOCATIONS = Number(process.env.LOCATIONS ?? 1_000);
const PAIRS_PER_AREA = Number(process.env.PAIRS_PER_AREA ?? 50);
const categories = ['social_action', 'socio_cultural_sports', 'professional_integration'] as const;

let seed = 42;
const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;

const areas = Array.from({ length: AREAS }, (_, i) => ({
  id: `a${i}`,
  population: 100 + Math.floor(random() * 5000),
  lon: 0,
  lat: 0,
}));
const locations = Array.from({ length: LOCATIONS }, (_, j) => ({
  id: `l${j}`,
  lon: 0,
  lat: 0,
  capacity: 1 + Math.floor(random() * 3),
  category: categories[j % 3]!,
  topics: [],
}));
const byArea = areas.map(() => {
  const chosen = new Set<number>();
  while (chosen.size < PAIRS_PER_AREA) chosen.add(Math.floor(random() * LOCATIONS));
  const list = [...chosen];
  return { locations: list, seconds: list.map(() => random() * 1800) };
});
const pairs = { areas, locations, byArea, offNetwork: new Set<number>() };
const parameters: GapAnalysisParameters = {
  units: { kind: 'imported', unitSetId: 'bench' },
  travel: 'drive',
  thresholdM: 10_000,
  thresholdMinutes: 30,
  method: 'e2sfca',
  decay: 'stepped',
  belowMeanFraction: 0.5,
  duplicationRadiusM: 500,
  categories: [...categories],
  topics: [],
};

function time(label: string, work: () => void, runs = 5): void {
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const start = performance.now();
    work();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  console.log(
    `${label}: median ${times[Math.floor(runs / 2)]!.toFixed(0)} ms (min ${times[0]!.toFixed(0)}, max ${times[runs - 1]!.toFixed(0)})`,
  );
}

console.log(`${AREAS} areas, ${LOCATIONS} locations, ${AREAS * PAIRS_PER_AREA} pairs within 30 minutes`);
time('E2SFCA and the other measures from the pairs, three subjects', () => {
  for (const category of categories) {
    measuresFromPairs(pairs, (j) => locations[j]!.category === category, { limitSeconds: 1800, decay: 'stepped' });
  }
});
// One added service, reached by the 200 areas nearest to it (its one-column matrix is the engine's work).
const added = new Map<number, number>();
for (let i = 0; i < 200; i++) added.set(Math.floor(random() * AREAS), random() * 1800);
time('a what-if adding one service: before and after, three subjects', () => {
  const after = withScenario(pairs, new Set(), [
    { service: { lon: 0, lat: 0, category: 'social_action' }, byArea: added },
  ]);
  compareScenario(pairs, after, parameters);
});
