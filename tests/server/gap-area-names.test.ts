import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type NamedPoints, areaName as nameArea, nearestTown } from '../../web/src/gap-analysis/areaNames.js';
import { Formatters } from '../../web/src/i18n/formatters.js';
import { createTranslator, type Messages } from '../../web/src/i18n/translate.js';

/** The gap analysis's English messages, as the page reads them (`gap-analysis.area.near`…). */
const english = JSON.parse(
  readFileSync(new URL('../../web/src/gap-analysis/messages/en.json', import.meta.url), 'utf8'),
) as Messages;
const inEnglish = { t: createTranslator('en', { 'gap-analysis': english }, {}), format: new Formatters('en') };
const areaName = (area: Parameters<typeof nameArea>[0], towns: NamedPoints | null) => nameArea(area, towns, inEnglish);

/** Two towns 0.2° of longitude apart at latitude 46.58 (Poitiers), where a degree of longitude is about 76.6 km. */
const towns: NamedPoints = {
  features: [
    { properties: { name: 'Poitiers' }, geometry: { coordinates: [0.34, 46.58] } },
    { properties: { name: 'Lusignan' }, geometry: { coordinates: [0.12, 46.43] } },
  ],
};

const area = (lat: number, lon: number, name: string | null = null) => ({ name, code: '871866000ffffff', lat, lon });

describe('names of the areas of a gap analysis', () => {
  it('keeps an imported area’s own name', () => {
    expect(areaName(area(46.58, 0.34, 'Poitiers Sud'), towns)).toBe('Poitiers Sud');
  });

  it('names an area within a kilometre of its nearest town after the town', () => {
    expect(areaName(area(46.584, 0.342), towns)).toBe('Near Poitiers');
  });

  it('tells apart areas around the same town by distance and compass direction', () => {
    // 0.036° north is 4.0 km; 0.052° east at 46.58° N is 3.98 km; 0.03° south-west each way is 3.3 km and 2.3 km.
    expect(areaName(area(46.616, 0.34), towns)).toBe('4 km N of Poitiers');
    expect(areaName(area(46.58, 0.392), towns)).toBe('4 km E of Poitiers');
    expect(areaName(area(46.55, 0.31), towns)).toBe('4 km SW of Poitiers');
    expect(areaName(area(46.4, 0.12), towns)).toBe('3 km S of Lusignan');
  });

  it('falls back to the area’s code without towns', () => {
    expect(areaName(area(46.6, 0.3), null)).toBe('Area 871866000ffffff');
    expect(nearestTown(46.6, 0.3, null)).toBeNull();
  });
});
