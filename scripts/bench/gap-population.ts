import path from 'node:path';
import { projectRoot } from '../../server/src/config.js';
import { parseGapPopulationOptions } from './gap-population/benchOptions.js';
import { ratiosOf, renderGapPopulationSection } from './gap-population/gapPopulationReport.js';
import { type GapPopulationResult, runGapPopulationMode } from './gap-population/modeRun.js';
import { describeMachine, writeReportSection } from './lib/benchmarkReport.js';
import { elapsedMs } from './lib/stats.js';

/**
 * A full gap run with a 200 m population grid over Bordeaux's boundary (issue 11, "Performance"), against the same
 * run with town points and against the raw-SQL baseline of the gap analysis benchmark on the same areas and
 * services. See scripts/bench/README.md.
 */
const start = performance.now();

function log(line: string): void {
  process.stdout.write(`[gap-population ${(elapsedMs(start) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
}

const options = parseGapPopulationOptions(process.argv.slice(2), process.env);
const results: GapPopulationResult[] = [];
for (const mode of options.modes) {
  if (mode === 'server' && !options.databaseUrl) {
    log('DATABASE_URL is not set: server mode skipped (source scripts/ci/start-postgres.sh to run it)');
    continue;
  }
  results.push(await runGapPopulationMode(mode, options, log));
}
for (const result of results) {
  const r = ratiosOf(result);
  log(
    `${result.mode}: a) towns ${(r.a / 1000).toFixed(2)} s, import ${(result.import.result.ms / 1000).toFixed(2)} s, ` +
      `b) 200 m grid ${(r.b / 1000).toFixed(2)} s, c) raw SQL ${(r.c / 1000).toFixed(2)} s; b/a ${r.bOverA.toFixed(2)}, ` +
      `b/c ${r.bOverC.toFixed(2)}; ${result.surface.grid.units} areas, ${result.surface.grid.populatedUnits} populated, ` +
      `${result.import.result.kept} cells, ${result.services} services; results ${result.check.passed ? 'equal' : 'DIFFERENT'}`,
  );
}
if (options.reportFile && results.length > 0) {
  const context = { date: new Date(), machine: describeMachine(), options, totalS: elapsedMs(start) / 1000 };
  await writeReportSection(options.reportFile, 'gap-population', renderGapPopulationSection(context, results));
  log(`results written to ${path.relative(projectRoot, options.reportFile)}`);
}
