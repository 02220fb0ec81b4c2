import { describe, expect, it } from 'vitest';
import { LoadState } from './loadState.svelte';

describe('LoadState', () => {
  it('hands over the answer and becomes ready', async () => {
    const loading = new LoadState();
    let found: string[] = [];
    loading.load(
      () => Promise.resolve(['a', 'b']),
      (value) => (found = value),
      'The list could not be loaded.',
    );
    expect(loading.status).toBe('loading');
    await Promise.resolve();
    expect(found).toEqual(['a', 'b']);
    expect(loading.status).toBe('ready');
  });

  it('keeps the server’s message, or the fallback when the failure is not an Error', async () => {
    const loading = new LoadState();
    loading.load(
      () => Promise.reject(new Error('Not allowed.')),
      () => {},
      'The list could not be loaded.',
    );
    await Promise.resolve();
    expect(loading.status).toBe('error');
    expect(loading.error).toBe('Not allowed.');

    loading.load(
      () => Promise.reject('offline'),
      () => {},
      'The list could not be loaded.',
    );
    expect(loading.status).toBe('loading');
    await Promise.resolve();
    expect(loading.status).toBe('error');
    expect(loading.error).toBe('The list could not be loaded.');
  });

  it('ignores the failure of a request it abandoned', async () => {
    const loading = new LoadState();
    let seen: AbortSignal | null = null;
    const abort = loading.load(
      (signal) => {
        seen = signal;
        return new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));
      },
      () => {},
      'The list could not be loaded.',
    );
    abort();
    await Promise.resolve();
    expect(seen!.aborted).toBe(true);
    expect(loading.status).toBe('loading');
    expect(loading.error).toBeNull();
  });
});
