import type { MachineDescription } from '../lib/benchmarkReport.js';
import { percentile } from '../lib/stats.js';
import { benchRegion, regionAreaKm2 } from '../nearby/syntheticServices.js';
import { measuresStep } from './appRecompute.js';
import type { GapBenchOptions } from './benchOptions.js';
import type { GapModeResult, Measurement } from './modeRun.js';

/** PRODUCT.md: a full recompute within 1.2× the raw-SQL baseline (10k units × all categories × 1M services). */
export const targetRatio = 1.2;

export interface GapRunContext {
  date: Date;
  machine: MachineDescription;
  postgres?: { version: string; postgis: string; sharedBuffers: string; workMem: string };
  pgliteVersion: string;
  options: GapBenchOptions;
  totalS: number;
}

const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    0.5,
  );
const seconds = (ms: number) => (ms / 1000).toFixed(2);
const count = (value: number) => value.toLocaleString('en');
const sizeLabel = (size: number) =>
  size >= 1_000_000 && size % 1_000_000 === 0 ? `${size / 1_000_000}M` : `${size / 1000}k`;

function spread(values: number[]): string {
  return `${seconds(median(values))} s (${seconds(Math.min(...values))}–${seconds(Math.max(...values))})`;
}

export function ratioOf(result: GapModeResult): { app: number; baseline: number; value: number } {
  const app = median(result.app.map((m) => m.result.totalMs));
  const baseline = median(result.baseline.map((m) => m.result.totalMs));
  return { app, baseline, value: app / baseline };
}

function stepTable(measurements: Measurement<{ totalMs: number; steps: Record<string, number> }>[]): string {
  const steps = [...new Set(measurements.flatMap((m) => Object.keys(m.result.steps)))];
  const lines = ['| Step | Median (s) | Share |', '| --- | ---: | ---: |'];
  const total = median(measurements.map((m) => m.result.totalMs));
  for (const step of steps) {
    const value = median(measurements.map((m) => m.result.steps[step] ?? 0));
    lines.push(`| ${step} | ${seconds(value)} | ${Math.round((100 * value) / total)}% |`);
  }
  return lines.join('\n');
}

function othersCores(measurements: Measurement<unknown>[]): string {
  const values = measurements.flatMap((m) => (m.cpu ? [m.cpu.others] : []));
  return values.length === 0 ? 'n/a' : `≤ ${Math.max(...values).toFixed(2)}`;
}

/**
 * The measures alone (the application's measure queries against the baseline's per-category queries, which
 * also judge and write): the part of the run where both do the same work in the database.
 */
function measuresOnly(result: GapModeResult): string {
  const app = median(result.app.map((m) => m.result.steps[measuresStep] ?? 0));
  const baseline = median(result.baseline.map((m) => Object.values(m.result.steps)[0] ?? 0));
  return (
    `Measures alone: application ${seconds(app)} s (its measure queries), baseline ${seconds(baseline)} s ` +
    `(its per-category queries, which also judge and write), ratio ${(app / baseline).toFixed(2)}.`
  );
}

export function renderGapSection(context: GapRunContext, results: readonly GapModeResult[]): string {
  const { machine, options } = context;
  const when = `${context.date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  const database = [
    context.postgres
      ? `PostgreSQL ${context.postgres.version.replace(/^PostgreSQL /, '')}, PostGIS ${context.postgres.postgis}, ` +
        `shared_buffers ${context.postgres.sharedBuffers}, work_mem ${context.postgres.workMem} (untuned)`
      : undefined,
    `PGlite ${context.pgliteVersion}`,
  ]
    .filter(Boolean)
    .join('; ');
  const rows = results.map((result) => {
    const ratio = ratioOf(result);
    const pass = ratio.value <= targetRatio && result.check.passed;
    return (
      `| ${result.mode} | ${count(result.grid.units)} | ${sizeLabel(result.services)} | ${count(result.pairs)} | ` +
      `${spread(result.app.map((m) => m.result.totalMs))} | ${spread(result.baseline.map((m) => m.result.totalMs))} | ` +
      `**${ratio.value.toFixed(2)}×** | ${result.check.passed ? 'equal' : '**different**'} | ` +
      `${pass ? '**PASS**' : '**FAIL**'} |`
    );
  });
  const details = results.map((result) => {
    const check = result.check;
    return [
      `### ${result.mode} mode, ${count(result.grid.units)} units × ${sizeLabel(result.services)} services`,
      '',
      `Load: services ${result.load.totalS.toFixed(1)} s (database ${result.load.databaseMB} MB); ` +
        `${result.grid.columns} × ${result.grid.rows} grid, population ${count(result.grid.totalPopulation)} ` +
        `(${result.grid.zeroPopulationUnits} empty units); ${count(result.pairs)} unit × service pairs within d0; ` +
        `${count(check.clusters)} duplication clusters. Other processes kept ${othersCores([...result.app, ...result.baseline])} ` +
        'cores busy during the measurements.',
      '',
      `Check: ${count(check.rows)} result rows compared (every row, not a sample), ${check.unmatched} unmatched, ` +
        `largest relative difference ${check.maxRelativeDifference.toExponential(1)}, ` +
        `${check.otherMismatches} rows with different nulls, flags or reason; summaries: largest relative difference ` +
        `${check.summaryMaxRelativeDifference.toExponential(1)}, clusters and missing categories ` +
        `${check.summaryCountsEqual ? 'equal' : 'different'}.`,
      '',
      measuresOnly(result),
      '',
      'Application (`executeRun`), where the time goes (statements timed by a Kysely plugin):',
      '',
      stepTable(result.app),
      '',
      'Raw SQL baseline:',
      '',
      stepTable(result.baseline),
    ].join('\n');
  });
  return `## Gap analysis (scripts/bench/gap-analysis.ts)

Run on ${when} in ${(context.totalS / 60).toFixed(1)} min.
Machine: ${machine.cpus} × ${machine.cpuModel.split(' ').slice(0, 2).join(' ')}, ${machine.memoryGiB} GiB, ${machine.platform}, Node ${machine.node}.
Database: ${database}.

### Against the target (PRODUCT.md, "Performance targets")

Full recompute (all three categories, d0 ${count(options.thresholdM)} m, E2SFCA ${options.decay}) within
${targetRatio}× the raw-SQL baseline of the same computation, median of ${options.repeats} alternating
measurements each (min–max in brackets). The target is defined at 10k units × 1M services.

| Mode | Units | Services | Pairs within d0 | Application | Raw SQL | Ratio | Results | Result |
| --- | ---: | ---: | ---: | --- | --- | ---: | --- | --- |
${rows.join('\n')}

### Method

- **Data**: a fresh database per size (server: \`${'passerelle_bench_gaps'}\`; embedded: a PGlite folder), migrated,
  services loaded with the near-me benchmark's \`loadSyntheticServices\` (uniform over the ${benchRegion.name},
  ${count(Math.round(regionAreaKm2(benchRegion)))} km²; random category; one in twenty inactive). Units: an
  imported-style set (\`kind = 'imported'\`) of squares on a regular longitude/latitude grid over the same box,
  inserted set-based, each with a synthetic population (5% empty, others exp(3 + 7u), 20–22,000) and its
  demand point at its centroid.
- **Application**: \`createRun\` (untimed, it is the API request's insert), then \`executeRun\` timed to the end,
  as the API starts it: imported units, all categories, no topics, d0 ${count(options.thresholdM)} m, method
  E2SFCA with ${options.decay} decay, below-mean fraction 0.5, duplication radius 500 m. That is the run lookup,
  per category one measure query and one count (server mode) or, in embedded mode, the category's service
  locations and one measure query per batch of areas sized to take about 50 ms (the FCA sums then made in
  Node), judging and the summary in Node, DBSCAN duplication, missing actors, the results (JSON batches of 5,000
  rows; in embedded mode batches of about 50 ms), then the summary and the "done" status. The measure and
  DBSCAN queries of server mode run with JIT off (\`set local jit = off\`: with JIT on, PostgreSQL 15 spent most of a second
  compiling each of them, for nothing, the time being in PostGIS calls). The API's own default
  decay is Dai's rescaled Gaussian (\`dai_gaussian\`); the issue asks for stepped (\`--decay\` changes it).
- **Raw SQL baseline**: the same computation hand-written, sent with \`pg\` (server) or to PGlite directly
  (embedded) from the same process, in one transaction with JIT off (\`set local jit = off\`): one query per
  category computes every unit's row (pairs within d0, FCA ratios and sums, geodesic nearest, services located in
  the unit, regional mean as a window function, flags and reason sentences) into a temporary table with
  \`CREATE TABLE AS\` (which PostgreSQL 15 may run in parallel, unlike \`INSERT … SELECT\`), one \`INSERT\`
  writes them all to \`gap_analysis_result\`; one more query computes the summary (per-category means and counts,
  the same DBSCAN, missing categories) and an \`UPDATE\` stores it with the "done" status. Only the two static
  method notes are left out.
- **Check**: every result row of the first application run compared with an unmeasured warm-up run of the
  baseline: numbers equal to 1e-9 relative, same nulls, flags and reasons, same summary numbers and clusters.
- **Measurements**: ${options.repeats} of each side, alternating application then baseline, each after waiting
  (up to ${options.quietWaitS} s) for other processes to use less than 0.3 cores; results of each run deleted
  and the tables vacuumed between runs. Ratio = application median / baseline median. PostgreSQL's parallel
  workers do not name the database on their command line, so the CPU they use shows under "other processes".

${details.join('\n\n')}

### Re-run

\`\`\`sh
source scripts/ci/start-postgres.sh          # or export DATABASE_URL (a role that may create databases)
npx tsx scripts/bench/gap-analysis.ts        # server 10k units × 100k and 1M, embedded 2,000 × 100k
npx tsx scripts/bench/gap-analysis.ts --help # sizes, units, repeats, threshold, decay
\`\`\``;
}
