import { afterEach, describe, expect, it, vi } from 'vitest';
import { startEarlyRequests, takeEarly } from './earlyRequests';

describe("the workspace's early requests", () => {
  afterEach(() => vi.unstubAllGlobals());

  it('are asked for at once, and each answer is handed over once: a later load asks afresh', async () => {
    const asked: string[] = [];
    vi.stubGlobal('fetch', (url: string) => {
      asked.push(url);
      return Promise.resolve(new Response(JSON.stringify({ items: [] }), { status: 200 }));
    });
    startEarlyRequests();
    expect(asked.sort()).toEqual(['/api/alliances', '/api/auth/me', '/api/categories']);
    await expect(takeEarly('alliances')).resolves.toEqual([]);
    expect(takeEarly('alliances')).toBeNull();
    expect(takeEarly('categories')).not.toBeNull();
  });
});
