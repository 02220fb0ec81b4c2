import type { RawSql } from './rawBaseline.js';

export interface ResultCheck {
  rows: number;
  /** Rows present in one run only. */
  unmatched: number;
  /** Largest relative difference over every numeric column of every row (0 when equal). */
  maxRelativeDifference: number;
  /** Rows whose null measures, flags or reason differ. */
  otherMismatches: number;
  /** Largest relative difference over the per-category numbers of the summaries. */
  summaryMaxRelativeDifference: number;
  /** Duplication clusters and the services in them, and missing categories, equal in both summaries. */
  summaryCountsEqual: boolean;
  clusters: number;
  passed: boolean;
}

const tolerance = 1e-9;

const relative = (column: string) =>
  `coalesce(abs(a.${column} - b.${column}) / nullif(greatest(abs(a.${column}), abs(b.${column})), 0), 0)`;

/**
 * Compares every result row of the application's run with the baseline's (a superset of checking a sample):
 * each measure equal to 1e-9 relative, the same nulls, flags and reasons; then the summaries.
 */
export async function compareRuns(client: RawSql, appRunId: string, baselineRunId: string): Promise<ResultCheck> {
  const numeric = [
    'population',
    'nearest_distance_m',
    'count_within',
    'supply_count',
    'supply_per_10k',
    'score_2sfca',
    'score_e2sfca',
  ];
  const { rows } = await client.query(
    `select count(*)::int as rows,
            count(*) filter (where a.unit_id is null or b.unit_id is null)::int as unmatched,
            coalesce(max(greatest(${numeric.map(relative).join(', ')})), 0)::float8 as max_relative,
            count(*) filter (where (a.nearest_distance_m is null) <> (b.nearest_distance_m is null)
                               or (a.supply_per_10k is null) <> (b.supply_per_10k is null)
                               or a.flags is distinct from b.flags or a.reason_code is distinct from b.reason_code
                               -- The population is compared with the measures, to 1e-9.
                               or a.reason_params - 'population' is distinct from b.reason_params - 'population')::int
              as other
     from (select * from gap_analysis_result where run_id = $1::uuid) a
     full join (select * from gap_analysis_result where run_id = $2::uuid) b using (unit_id, subject)`,
    [appRunId, baselineRunId],
  );
  const row = rows[0] as { rows: number; unmatched: number; max_relative: number; other: number };
  const summaries = await client.query(
    `select id::text, summary->'subjects' as subjects,
            jsonb_array_length(summary->'duplication'->'clusters')::int as clusters,
            (select coalesce(sum((c->>'serviceCount')::int), 0)::int
             from jsonb_array_elements(summary->'duplication'->'clusters') c) as clustered,
            summary->'missingActors'->'categories' as missing,
            summary->'unitCount' as units, summary->'totalPopulation' as population
     from gap_analysis_run where id in ($1::uuid, $2::uuid)`,
    [appRunId, baselineRunId],
  );
  type Summary = {
    id: string;
    subjects: Record<string, unknown>[];
    clusters: number;
    clustered: number;
    missing: unknown;
    units: number;
    population: number;
  };
  const app = summaries.rows.find((s) => s.id === appRunId) as Summary;
  const baseline = summaries.rows.find((s) => s.id === baselineRunId) as Summary;
  // Populations with decimals (a population grid's estimates) sum to totals that differ in the last bits by the order
  // of the sum: the totals are compared like the other numbers.
  const totalScale = Math.max(Math.abs(app.population), Math.abs(baseline.population));
  let summaryMax = totalScale === 0 ? 0 : Math.abs(app.population - baseline.population) / totalScale;
  let countsEqual =
    app.subjects.length === baseline.subjects.length &&
    app.clusters === baseline.clusters &&
    app.clustered === baseline.clustered &&
    app.units === baseline.units &&
    JSON.stringify(app.missing) === JSON.stringify(baseline.missing);
  app.subjects.forEach((subject, index) => {
    const other = baseline.subjects[index] ?? {};
    for (const [key, value] of Object.entries(subject)) {
      const otherValue = other[key];
      if (typeof value === 'number' && typeof otherValue === 'number') {
        const scale = Math.max(Math.abs(value), Math.abs(otherValue));
        summaryMax = Math.max(summaryMax, scale === 0 ? 0 : Math.abs(value - otherValue) / scale);
      } else if (value !== otherValue) {
        countsEqual = false;
      }
    }
  });
  return {
    rows: row.rows,
    unmatched: row.unmatched,
    maxRelativeDifference: row.max_relative,
    otherMismatches: row.other,
    summaryMaxRelativeDifference: summaryMax,
    summaryCountsEqual: countsEqual,
    clusters: app.clusters,
    passed:
      row.rows > 0 &&
      row.unmatched === 0 &&
      row.other === 0 &&
      row.max_relative <= tolerance &&
      summaryMax <= tolerance &&
      countsEqual,
  };
}
