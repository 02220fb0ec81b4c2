import { describe, expect, it } from 'vitest';
import { ServiceTileCache } from '../../server/src/domain/services/serviceTileCache.js';

const bytes = (size: number, fill = 1) => new Uint8Array(size).fill(fill);

describe('the low-zoom service tile cache', () => {
  it('keeps tiles up to its bytes, the least recently used leaving first', async () => {
    const cache = new ServiceTileCache(250);
    const get = (key: string) => cache.tile({ scope: 'a', version: '1', key }, async () => bytes(100));
    await get('x');
    await get('y');
    await get('x'); // x is now the most recently used
    await get('z'); // 300 bytes: y goes
    expect(cache.builds).toBe(3);
    expect(cache.bytes).toBe(200);
    await get('x');
    await get('z');
    expect(cache.builds).toBe(3);
    await get('y');
    expect(cache.builds).toBe(4);
    // A tile larger than the whole cache is served, not kept.
    await cache.tile({ scope: 'a', version: '1', key: 'huge' }, async () => bytes(300));
    expect(cache.bytes).toBeLessThanOrEqual(250);
  });

  it('drops a scope’s tiles when its version moves, and leaves other scopes’ alone', async () => {
    const cache = new ServiceTileCache();
    const get = (scope: string, version: string, fill: number) =>
      cache.tile({ scope, version, key: 'k' }, async () => bytes(10, fill));
    expect((await get('a', '1', 1))[0]).toBe(1);
    await get('b', '1', 1);
    expect((await get('a', '2', 2))[0]).toBe(2);
    expect(cache.bytes).toBe(20);
    expect((await get('a', '2', 3))[0]).toBe(2);
    await get('b', '1', 4);
    expect(cache.builds).toBe(3);
  });

  it('shares a build in progress, and keeps no failed one', async () => {
    const cache = new ServiceTileCache();
    let finish: (tile: Uint8Array) => void = () => {};
    const slow = () => new Promise<Uint8Array>((resolve) => (finish = resolve));
    const first = cache.tile({ scope: 'a', version: '1', key: 'k' }, slow);
    const second = cache.tile({ scope: 'a', version: '1', key: 'k' }, slow);
    finish(bytes(5));
    expect(await first).toBe(await second);
    expect(cache.builds).toBe(1);
    const failing = () => Promise.reject(new Error('database gone'));
    await expect(cache.tile({ scope: 'a', version: '1', key: 'f' }, failing)).rejects.toThrow('database gone');
    await cache.tile({ scope: 'a', version: '1', key: 'f' }, async () => bytes(5));
    expect(cache.builds).toBe(3);
  });
});
