import type { GapAreaProperties } from '../api/types';
import { valueClasses, type Classification, type ValueClass } from './classBreaks';
import { measureDefinition, measureProperty, measureValue, type GapMeasure } from './measures';

export interface SubjectChoropleth {
  property: string;
  flagsProperty: string;
  classes: ValueClass[];
  /** Inhabited areas with no service of the subject anywhere: drawn darkest, listed apart in the legend. */
  noServiceCount: number;
  noPopulationCount: number;
}

/**
 * The classes of one subject's measure over the inhabited areas of a run (empty areas are hatched apart), from the
 * run's GeoJSON or, for a map drawn from tiles, its measure columns (`gapTiles.ts`'s `columnsAsAreas`).
 */
export function subjectChoropleth(
  areas: { readonly features: readonly { readonly properties: GapAreaProperties }[] },
  options: { subject: string; measure: GapMeasure; method: string; classification: Classification },
): SubjectChoropleth {
  const { subject, measure, method, classification } = options;
  const values: number[] = [];
  let noServiceCount = 0;
  let noPopulationCount = 0;
  for (const { properties } of areas.features) {
    if (properties.population <= 0) {
      noPopulationCount++;
      continue;
    }
    const value = measureValue(properties, subject, measure, method);
    if (value === null) noServiceCount++;
    else values.push(value);
  }
  const definition = measureDefinition(measure);
  return {
    property: measureProperty(subject, measure, method),
    flagsProperty: `${subject}.flags`,
    classes: valueClasses(values, {
      classification,
      higherIsBetter: definition.higherIsBetter,
      // Every area at 0 services or 0 access means nobody is served: that is the worst class, not the middle.
      allAlikeIsWorst: definition.higherIsBetter && values.every((value) => value === 0),
    }),
    noServiceCount,
    noPopulationCount,
  };
}
