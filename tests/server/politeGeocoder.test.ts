import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/src/config.js';
import type { GeocodedPlace } from '../../server/src/domain/geocoding/geocoderAnswer.js';
import { GeocoderBusy, PoliteGeocoder } from '../../server/src/domain/geocoding/politeGeocoder.js';

const place: GeocodedPlace = { label: 'Mairie, Bordeaux', lat: 44.8378, lon: -0.5792, precision: 'exact' };

/** A clock that only moves when the geocoder waits, and a search that notes when each request left. */
function politeWith(options: { minIntervalMs: number; maxWaiting?: number; cacheMs?: number; cacheSize?: number }) {
  let clock = 1_000_000;
  const sentAt: { query: string; at: number }[] = [];
  let answer: (query: string) => Promise<GeocodedPlace[]> = async () => [place];
  const geocoder = new PoliteGeocoder(
    async (query) => {
      sentAt.push({ query, at: clock });
      return answer(query);
    },
    {
      ...options,
      now: () => clock,
      sleep: async (ms) => {
        clock += ms;
      },
    },
  );
  return {
    geocoder,
    sentAt,
    advance: (ms: number) => (clock += ms),
    answerWith: (next: typeof answer) => (answer = next),
  };
}

describe('asking the geocoder politely', () => {
  it('spaces requests by the interval, one at a time, in the order they came', async () => {
    const { geocoder, sentAt } = politeWith({ minIntervalMs: 1000 });
    await Promise.all(['1 rue A', '2 rue B', '3 rue C'].map((query) => geocoder.find(query, null)));
    expect(sentAt.map((request) => request.query)).toEqual(['1 rue A', '2 rue B', '3 rue C']);
    expect(sentAt[1]!.at - sentAt[0]!.at).toBe(1000);
    expect(sentAt[2]!.at - sentAt[1]!.at).toBe(1000);
  });

  it('does not wait when the last request is older than the interval', async () => {
    const { geocoder, sentAt, advance } = politeWith({ minIntervalMs: 1000 });
    await geocoder.find('1 rue A', null);
    advance(5000);
    await geocoder.find('2 rue B', null);
    expect(sentAt[1]!.at - sentAt[0]!.at).toBe(5000);
  });

  it('answers a search made again from memory, whatever its case and spaces, until it is an hour old', async () => {
    const { geocoder, sentAt, advance } = politeWith({ minIntervalMs: 1000 });
    expect(await geocoder.find('Place Pey Berland', null)).toEqual([place]);
    expect(await geocoder.find('  place   pey berland ', null)).toEqual([place]);
    expect(sentAt).toHaveLength(1);
    // Another area is another search.
    await geocoder.find('Place Pey Berland', [-1, 44, 0, 45]);
    expect(sentAt).toHaveLength(2);
    advance(60 * 60_000 + 1);
    await geocoder.find('Place Pey Berland', null);
    expect(sentAt).toHaveLength(3);
  });

  it('forgets the searches used least recently beyond its size', async () => {
    const { geocoder, sentAt } = politeWith({ minIntervalMs: 0, cacheSize: 2 });
    await geocoder.find('a', null);
    await geocoder.find('b', null);
    await geocoder.find('a', null); // a is now the most recent
    await geocoder.find('c', null); // b is forgotten
    await geocoder.find('a', null);
    expect(sentAt.map((request) => request.query)).toEqual(['a', 'b', 'c']);
    await geocoder.find('b', null);
    expect(sentAt.map((request) => request.query)).toEqual(['a', 'b', 'c', 'b']);
  });

  it('does not remember a failure, and a failure does not block the searches after it', async () => {
    const { geocoder, sentAt, answerWith } = politeWith({ minIntervalMs: 1000 });
    // Down for the first request only.
    answerWith(async () => {
      if (sentAt.length === 1) throw new Error('geocoder down');
      return [place];
    });
    const failed = geocoder.find('1 rue A', null);
    const next = geocoder.find('2 rue B', null);
    await expect(failed).rejects.toThrow('geocoder down');
    expect(await next).toEqual([place]);
    expect(await geocoder.find('1 rue A', null)).toEqual([place]);
    expect(sentAt.map((request) => request.query)).toEqual(['1 rue A', '2 rue B', '1 rue A']);
  });

  it('refuses a search when too many are already waiting', async () => {
    const { geocoder } = politeWith({ minIntervalMs: 1000, maxWaiting: 2 });
    const first = geocoder.find('1 rue A', null);
    const second = geocoder.find('2 rue B', null);
    await expect(geocoder.find('3 rue C', null)).rejects.toBeInstanceOf(GeocoderBusy);
    await Promise.all([first, second]);
    await expect(geocoder.find('3 rue C', null)).resolves.toEqual([place]);
  });

  it('reads the interval from GEOCODER_MIN_INTERVAL_MS, one second unless set', () => {
    expect(loadConfig({}).geocoderMinIntervalMs).toBe(1000);
    expect(loadConfig({ GEOCODER_MIN_INTERVAL_MS: '250' }).geocoderMinIntervalMs).toBe(250);
    expect(() => loadConfig({ GEOCODER_MIN_INTERVAL_MS: 'soon' })).toThrow(/GEOCODER_MIN_INTERVAL_MS/);
  });
});
