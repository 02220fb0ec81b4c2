import { beforeAll, describe, expect, it } from 'vitest';
import { translatorFor } from '../i18n/catalogues';
import { Formatters } from '../i18n/formatters';
import { pageLanguage } from '../i18n/pageLanguage.svelte';
import { type PopulationSourcePart, type PopulationSourceSummary, populationSourceText } from './populationSource';

/** Parts as the server gives them, with the English sentence it writes beside them (demandSource.ts). */
const placesRun: PopulationSourceSummary = {
  populationSource:
    'Approximate: populated places summed per area (INSEE commune populations 2021). ~7,000 inhabitants counted, in ' +
    '3 of 1,204 areas: the 1,201 others hold no town of 1,000+ and count nobody, though people live there. Import a ' +
    'population grid (Settings, Population) to count them. ~2,300 people living within reach beyond the boundary ' +
    'share the services near the edge: they count in those services’ demand, not as areas of this run.',
  populationSourceParts: [
    { code: 'places-sources', params: { sources: 'INSEE commune populations 2021' } },
    { code: 'places-counted', params: { units: 1204, populatedUnits: 3, population: 7012, empty: 1201 } },
    { code: 'outer', params: { population: 2345 } },
  ],
};

const surfaceCounted: PopulationSourcePart = {
  code: 'surface-counted',
  params: {
    name: 'worldpop.tif',
    format: 'geotiff',
    crs: 'EPSG:4326',
    cellSizeM: 7858,
    importedAt: null,
    population: 600,
    populatedUnits: 3,
    units: 40,
  },
};

const surfaceRun: PopulationSourceSummary = {
  populationSource:
    'Population surface “worldpop.tif” (GeoTIFF grid, EPSG:4326, 7,858 m cells): ~600 inhabitants counted, in 3 of 40 areas.',
  populationSourceParts: [surfaceCounted],
};

const sentences: [string, PopulationSourcePart, string][] = [
  [
    'no town',
    { code: 'places-nobody', params: {} },
    'This run counts nobody: no populated place of 1,000 inhabitants or more is known in this region. Import a population grid (Settings, Population) to measure population; distances and counts are meaningful without it.',
  ],
  [
    'no data',
    { code: 'places-none', params: {} },
    'No population data for this region: every area has population 0, so only distances and counts are meaningful.',
  ],
  [
    'imported areas',
    { code: 'imported', params: { property: 'pop_2021' } },
    'Imported with the areas (property "pop_2021").',
  ],
  [
    'a surface with nobody in the areas',
    {
      code: 'surface-nobody',
      params: { name: 'k.csv', format: 'kontur_h3', crs: 'EPSG:4326', cellSizeM: null, importedAt: null },
    },
    'Population surface “k.csv” (Kontur H3 population, EPSG:4326): nobody of it lives in these areas, so this run counts nobody.',
  ],
];

describe('where the people of a run come from', () => {
  beforeAll(async () => {
    await pageLanguage.use('en');
  });

  it('says the parts in English exactly as the server does', () => {
    expect(populationSourceText(placesRun)).toBe(placesRun.populationSource);
    expect(populationSourceText(surfaceRun)).toBe(surfaceRun.populationSource);
    for (const [, part, english] of sentences) {
      expect(populationSourceText({ populationSource: 'ignored', populationSourceParts: [part] })).toBe(english);
    }
  });

  it("keeps the server's English sentence for runs without parts or with a code unknown here", () => {
    expect(populationSourceText({ populationSource: 'Old sentence.' })).toBe('Old sentence.');
    expect(populationSourceText({ populationSource: 'Old sentence.', populationSourceParts: null })).toBe(
      'Old sentence.',
    );
    expect(
      populationSourceText({
        populationSource: 'Newer sentence.',
        populationSourceParts: [
          { code: 'places-nobody', params: {} },
          { code: 'unknown', params: {} },
        ],
      }),
    ).toBe('Newer sentence.');
  });

  it('dates the import of a surface in the reader’s language', () => {
    const dated = { ...surfaceCounted, params: { ...surfaceCounted.params, importedAt: '2026-12-03' } };
    expect(populationSourceText({ populationSource: '', populationSourceParts: [dated] })).toMatch(
      /^Population surface “worldpop\.tif” \(GeoTIFF grid, EPSG:4326, 7,858 m cells, imported Dec 3, 2026\): /,
    );
  });

  it('says them in French, with French numbers', async () => {
    const words = { t: await translatorFor('fr', ['gap-analysis']), format: new Formatters('fr') };
    expect(populationSourceText(surfaceRun, words)).toBe(
      'Surface de population « worldpop.tif » (grille GeoTIFF, EPSG:4326, mailles de 7\u202f858 m) : ~600 habitants ' +
        'comptés, dans 3 zones sur 40.',
    );
    expect(populationSourceText(placesRun, words)).toBe(
      'Approximatif : lieux habités additionnés par zone (INSEE commune populations 2021). ~7\u202f000 habitants ' +
        'comptés, dans 3 zones sur 1\u202f204 : les 1\u202f201 autres ne contiennent aucune ville de 1 000 habitants ou ' +
        'plus et ne comptent personne, bien que des personnes y vivent. Importez une grille de population (Paramètres, ' +
        'Population) pour les compter. ~2\u202f300 personnes vivant à portée au-delà de la limite partagent les services ' +
        'proches du bord : elles comptent dans la demande de ces services, pas comme zones de cette analyse.',
    );
  });
});
