import { describe, expect, it } from 'vitest';
import { emptyLink, formatFinderLink, parseFinderLink } from './finderUrl';

describe('finder links', () => {
  it('carries need, filters, place, region, language, view and open card, and reads back the same', () => {
    const link = {
      ...emptyLink,
      region: 'bordeaux',
      lang: 'ar',
      need: 'language',
      openNow: true,
      free: true,
      speaks: 'ar',
      audience: 'women',
      place: { kind: 'town' as const, id: 'town-merignac' },
      view: 'map' as const,
      service: 'a1b2c3d4-0000-4000-8000-000000000001',
    };
    const query = formatFinderLink(link);
    expect(query).toBe(
      '?lang=ar&region=bordeaux&need=language&open=1&free=1&speaks=ar&for=women&place=town-merignac&view=map' +
        '&service=a1b2c3d4-0000-4000-8000-000000000001',
    );
    expect(parseFinderLink(query)).toEqual(link);
  });

  it('writes a point chosen on the map rounded to about 100 m', () => {
    const query = formatFinderLink({ ...emptyLink, place: { kind: 'point', lat: 44.841234, lon: -0.580678 } });
    expect(query).toBe('?at=44.841,-0.581');
    expect(parseFinderLink('?at=44.8412345,-0.5806789').place).toEqual({ kind: 'point', lat: 44.841, lon: -0.581 });
  });

  it('never writes coordinates for "my location": only the wish to use it', () => {
    expect(formatFinderLink({ ...emptyLink, place: { kind: 'myLocation' } })).toBe('?near=me');
    expect(parseFinderLink('?near=me').place).toEqual({ kind: 'myLocation' });
  });

  it('ignores what it does not know instead of failing', () => {
    expect(parseFinderLink('?need=flying&for=cats&lang=xx&at=200,5&region=Not%20A%20Slug&speaks=1234')).toEqual(
      emptyLink,
    );
    expect(parseFinderLink('?at=abc')).toEqual(emptyLink);
  });
});
