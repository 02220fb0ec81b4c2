import type { MachineDescription } from '../lib/benchmarkReport.js';
import type { CpuSplit } from '../lib/machineLoad.js';
import { gridCellsStep, gridDemandStep, measuresStep } from '../gap-analysis/appRecompute.js';
import type { GapPopulationOptions } from './benchOptions.js';
import type { GapPopulationResult } from './modeRun.js';

const seconds = (ms: number) => (ms / 1000).toFixed(2);
const count = (value: number) => Math.round(value).toLocaleString('en');
const ratio = (a: number, b: number) => (a / b).toFixed(2);

/** b/a and b/c over the whole runs, and over their measures alone (b's measure queries against c's per-category queries). */
export function ratiosOf(result: GapPopulationResult) {
  const a = result.towns.run.result.totalMs;
  const b = result.surface.run.result.totalMs;
  const c = result.baseline.result.totalMs;
  return { a, b, c, bOverA: b / a, bOverC: b / c };
}

function gridSteps(steps: Record<string, number>): string {
  return `${seconds((steps[gridCellsStep] ?? 0) + (steps[gridDemandStep] ?? 0))} (cells ${seconds(steps[gridCellsStep] ?? 0)}, demand ${seconds(steps[gridDemandStep] ?? 0)})`;
}

function others(cpu: CpuSplit | undefined): string {
  return cpu ? `≥ ${cpu.others.toFixed(2)}` : 'n/a';
}

export function renderGapPopulationSection(
  context: { date: Date; machine: MachineDescription; options: GapPopulationOptions; totalS: number },
  results: readonly GapPopulationResult[],
): string {
  const { machine, options } = context;
  const lines = [
    '## Gap run with a 200 m population grid (`scripts/bench/gap-population.ts`)',
    '',
    `Run ${context.date.toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine.cpus} × ${machine.cpuModel}, ` +
      `${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.platform}; ${context.totalS.toFixed(0)} s in all. ` +
      `The demo Bordeaux alliance (boundary: Gironde) with its demo services and ${count(options.services)} synthetic ` +
      `ones inside the boundary (seed ${options.seed}); a full gap run (\`executeRun\`: the H3 grid of resolution ` +
      `${options.resolution} built and peopled, every category measured, d0 ${options.thresholdM / 1000} km, E2SFCA ` +
      `${options.decay}, results and summary written) a) with the towns of \`data/demand/FR-GI.json\` as its people, ` +
      `b) after importing a synthetic INSEE-like 200 m grid (EPSG:3035 squares over the boundary's box and 30 km ` +
      `around it, a share of ${options.populatedShare} of them listed before weighting by towns, nobody west of ` +
      `1.25° W), whose cells the grid then counts; c) the raw-SQL baseline of \`gap-analysis.ts\` on b's areas, their ` +
      `people given to them again by one hand-written statement first. Every result row of b is checked equal to c's. ` +
      `One measurement each, after waiting for a quiet machine; a grid is built once per demand source, so a) and b) ` +
      'include building theirs, as the first run after an import does.',
    '',
    '| Mode | a) towns | import of the grid | b) 200 m grid | c) raw SQL | b/a | b/c | results |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const result of results) {
    const r = ratiosOf(result);
    lines.push(
      `| ${result.mode} | ${seconds(r.a)} s | ${seconds(result.import.result.ms)} s | ${seconds(r.b)} s | ` +
        `${seconds(r.c)} s | ${r.bOverA.toFixed(2)} | ${r.bOverC.toFixed(2)} | ${result.check.passed ? 'equal' : 'DIFFERENT'} |`,
    );
  }
  for (const result of results) {
    const towns = result.towns.run.result.steps;
    const surface = result.surface.run.result.steps;
    const baseline = result.baseline.result;
    const measuresB = surface[measuresStep] ?? 0;
    const measuresC = Object.values(baseline.measures.steps)[0] ?? 0;
    lines.push(
      '',
      `### ${result.mode === 'server' ? 'Server mode (PostgreSQL)' : 'Embedded mode (PGlite)'}`,
      '',
      `- Services: ${count(result.services)} active service locations (${result.demoServices} of them demo services).`,
      `- Units: a) ${count(result.towns.grid.units)} areas, ${count(result.towns.grid.populatedUnits)} populated, ` +
        `${count(result.towns.grid.population)} people; b) ${count(result.surface.grid.units)} areas, ` +
        `${count(result.surface.grid.populatedUnits)} populated, ${count(result.surface.grid.population)} people; ` +
        `${count(result.surface.pairs)} area × service pairs within d0.`,
      `- Population grid: ${count(result.populationGrid.squares)} squares of 200 m in the box, ` +
        `${count(result.populationGrid.cells)} listed in the CSV (${count(result.populationGrid.population)} people); ` +
        `the import read ${count(result.import.result.read)} and kept ${count(result.import.result.kept)} cells ` +
        `(${count(result.import.result.population)} people) in the boundary and 30 km around it: ` +
        `${seconds(result.import.result.ms)} s.`,
      `- Grid built within the run (seconds): a) ${gridSteps(towns)}; b) ${gridSteps(surface)}; c) demand in one ` +
        `statement ${seconds(baseline.assignmentMs)}.`,
      `- Measures alone: b) ${seconds(measuresB)} s (its measure queries), a) ${seconds(towns[measuresStep] ?? 0)} s, ` +
        `c) ${seconds(measuresC)} s (its per-category queries, which also judge and write); b/c ${ratio(measuresB, measuresC)}.`,
      `- Whole runs: b ${seconds(result.surface.run.result.totalMs)} s (${Object.entries(surface)
        .map(([step, ms]) => `${step} ${seconds(ms)}`)
        .join(', ')}); c ${seconds(baseline.totalMs)} s (demand ${seconds(baseline.assignmentMs)}, ${Object.entries(
        baseline.measures.steps,
      )
        .map(([step, ms]) => `${step} ${seconds(ms)}`)
        .join(', ')}).`,
      `- Check of b against c: ${count(result.check.rows)} rows, max relative difference ` +
        `${result.check.maxRelativeDifference.toExponential(1)}, ${result.check.passed ? 'equal' : 'DIFFERENT'}.`,
      `- Other processes during a, import, b, c (cores): ${others(result.towns.run.cpu)}, ${others(result.import.cpu)}, ` +
        `${others(result.surface.run.cpu)}, ${others(result.baseline.cpu)}.`,
    );
  }
  lines.push(
    '',
    'Re-run (full size, on a quiet machine): `DATABASE_URL=… npx tsx scripts/bench/gap-population.ts`; a quick check: ' +
      '`npx tsx scripts/bench/gap-population.ts --resolution 5 --services 300 --populated-share 0.005 --quiet-wait 0 --no-report`.',
  );
  return lines.join('\n');
}
