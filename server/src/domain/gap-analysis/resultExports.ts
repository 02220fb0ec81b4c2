import { csvField } from '../exports/csvField.js';
import type { UnitResult } from './gapAnalysisRepository.js';

export const csvColumns = [
  'unit_id',
  'unit_code',
  'unit_name',
  'centroid_lat',
  'centroid_lon',
  'subject_kind',
  'subject',
  'population',
  'nearest_distance_m',
  'nearest_minutes',
  'count_within',
  'supply_count',
  'supply_per_10k',
  'score_2sfca_per_10k',
  'score_e2sfca_per_10k',
  'flags',
  'reason',
] as const;

/** One row per unit × subject, with a header line; CRLF line ends as RFC 4180 says. */
export function resultsCsv(results: UnitResult[]): string {
  const lines = [csvColumns.join(',')];
  for (const result of results) {
    lines.push(
      [
        result.unit.id,
        result.unit.code,
        result.unit.name,
        result.unit.lat,
        result.unit.lon,
        result.subjectKind,
        result.subject,
        result.population,
        result.nearestDistanceM,
        result.nearestSeconds === null ? null : result.nearestSeconds / 60,
        result.countWithin,
        result.supplyCount,
        result.supplyPer10k,
        result.score2sfca,
        result.scoreE2sfca,
        result.flags.join(' '),
        result.reason,
      ]
        .map(csvField)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** Flat property names, e.g. "social_action.scoreE2sfca", because map styles read flat properties. */
export function resultsFeatureCollection(
  units: Map<string, { code: string; name: string | null; population: number; geometry: unknown }>,
  results: UnitResult[],
) {
  const properties = new Map<string, Record<string, unknown>>();
  for (const [id, unit] of units) {
    properties.set(id, { unitId: id, code: unit.code, name: unit.name, population: unit.population });
  }
  for (const result of results) {
    const target = properties.get(result.unit.id);
    if (!target) continue;
    const prefix = result.subject;
    Object.assign(target, {
      [`${prefix}.nearestDistanceM`]: result.nearestDistanceM,
      [`${prefix}.nearestMinutes`]: result.nearestSeconds === null ? null : result.nearestSeconds / 60,
      [`${prefix}.countWithin`]: result.countWithin,
      [`${prefix}.supplyPer10k`]: result.supplyPer10k,
      [`${prefix}.score2sfca`]: result.score2sfca,
      [`${prefix}.scoreE2sfca`]: result.scoreE2sfca,
      [`${prefix}.flags`]: result.flags.join(' '),
      [`${prefix}.reason`]: result.reason,
      [`${prefix}.reasonCode`]: result.reasonCode,
    });
  }
  return {
    type: 'FeatureCollection' as const,
    features: [...units].map(([id, unit]) => ({
      type: 'Feature' as const,
      id,
      geometry: unit.geometry,
      properties: properties.get(id)!,
    })),
  };
}
