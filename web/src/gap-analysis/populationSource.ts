import { pageLanguage } from '../i18n/pageLanguage.svelte';
import { approximatePopulation } from './gapReasons';
import type { Wording } from './wording';

/** A sentence of where a run's people come from, as the server gives it: a code with figures (numbers raw, dates ISO). */
export interface PopulationSourcePart {
  code: string;
  params: Record<string, string | number | null>;
}

export interface PopulationSourceSummary {
  /** The server's English sentence, shown when it gives no parts (runs made before them) or a code unknown here. */
  populationSource: string;
  populationSourceParts?: PopulationSourcePart[] | null;
}

const numberOf = (value: string | number | null | undefined): number => (typeof value === 'number' ? value : 0);
const textOf = (value: string | number | null | undefined): string => (value == null ? '' : String(value));

/** "~8,400" (two significant digits), "~7" under ten, as the server says it. */
function people(value: string | number | null | undefined, words: Wording): string {
  const population = numberOf(value);
  return approximatePopulation(population < 10 ? Math.round(population) : population, words);
}

/** A population surface's format, grid system, cell size and date of import, inside the brackets of its sentence. */
function surfaceDetails(params: PopulationSourcePart['params'], words: Wording): string {
  const { t, format } = words;
  const formatCode = textOf(params.format);
  const formatName = (
    {
      geotiff: t('gap-analysis.populationSource.surface.format.geotiff'),
      kontur_h3: t('gap-analysis.populationSource.surface.format.kontur_h3'),
      insee_grid: t('gap-analysis.populationSource.surface.format.insee_grid'),
      census_areas: t('gap-analysis.populationSource.surface.format.census_areas'),
    } as Record<string, string>
  )[formatCode];
  const values = {
    format: formatName ?? formatCode,
    crs: textOf(params.crs),
    size: typeof params.cellSizeM === 'number' ? format.number(params.cellSizeM) : '',
    date: typeof params.importedAt === 'string' ? format.date(params.importedAt) : '',
  };
  if (values.size && values.date) return t('gap-analysis.populationSource.surface.detailsCellsDate', values);
  if (values.size) return t('gap-analysis.populationSource.surface.detailsCells', values);
  if (values.date) return t('gap-analysis.populationSource.surface.detailsDate', values);
  return t('gap-analysis.populationSource.surface.details', values);
}

/** One part in the reader's language; null for a code this page does not know. */
function partText(part: PopulationSourcePart, words: Wording): string | null {
  const { t } = words;
  const params = part.params ?? {};
  const counted = {
    population: people(params.population, words),
    populated: numberOf(params.populatedUnits),
    count: numberOf(params.units),
    empty: numberOf(params.empty),
  };
  switch (part.code) {
    case 'surface-counted':
      return t('gap-analysis.populationSource.surface.counted', {
        ...counted,
        name: textOf(params.name),
        details: surfaceDetails(params, words),
      });
    case 'surface-nobody':
      return t('gap-analysis.populationSource.surface.nobody', {
        name: textOf(params.name),
        details: surfaceDetails(params, words),
      });
    case 'places-sources':
      return t('gap-analysis.populationSource.places.sources', { sources: textOf(params.sources) });
    case 'places-none':
      return t('gap-analysis.populationSource.places.none');
    case 'places-counted':
      return t('gap-analysis.populationSource.places.counted', counted);
    case 'places-nobody':
      return t('gap-analysis.populationSource.places.nobody');
    case 'imported':
      return t('gap-analysis.populationSource.imported', { property: textOf(params.property) });
    case 'outer':
      return t('gap-analysis.populationSource.outer', { population: people(params.population, words) });
    default:
      return null;
  }
}

/**
 * Where a run's people come from, in the reader's language when the server gave the parts, else (older runs, or a
 * code unknown here) in the server's English sentence.
 */
export function populationSourceText(summary: PopulationSourceSummary, words: Wording = pageLanguage): string {
  const parts = summary.populationSourceParts;
  if (!parts || parts.length === 0) return summary.populationSource;
  const texts = parts.map((part) => partText(part, words));
  if (texts.some((text) => text === null)) return summary.populationSource;
  return texts.join(' ');
}
