import { beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../api/request';
import { pageLanguage } from '../i18n/pageLanguage.svelte';
import { LoadState } from './loadState.svelte';

describe('LoadState', () => {
  beforeAll(() => pageLanguage.use('en'));

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

  it('keeps the server’s message, or the fallback when the failure is not a refusal of the server', async () => {
    const loading = new LoadState();
    loading.load(
      () => Promise.reject(new ApiError(403, 'Not allowed.')),
      () => {},
      'The list could not be loaded.',
    );
    await Promise.resolve();
    expect(loading.status).toBe('error');
    expect(loading.error).toBe('Not allowed.');

    loading.load(
      () => Promise.reject(new Error('something internal')),
      () => {},
      'The list could not be loaded.',
    );
    expect(loading.status).toBe('loading');
    await Promise.resolve();
    expect(loading.status).toBe('error');
    expect(loading.error).toBe('The list could not be loaded.');
  });

  it('says a refusal in the page’s language, and a generic sentence when the caller gives none', async () => {
    const loading = new LoadState();
    await pageLanguage.use('fr');
    try {
      loading.load(
        () =>
          Promise.reject(
            new ApiError(404, 'There is no action with id 7.', { code: 'not-found.action', params: { id: '7' } }),
          ),
        () => {},
      );
      await Promise.resolve();
      expect(loading.error).toBe('Il n’existe pas d’action avec l’identifiant 7.');

      loading.load(
        () => Promise.reject('offline'),
        () => {},
      );
      await Promise.resolve();
      expect(loading.error).toBe('Le chargement a échoué. Réessayez dans quelques instants.');
    } finally {
      await pageLanguage.use('en');
    }
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

  it('remembers the status of a refusal, so that a panel can say "sign in" or "not allowed"', async () => {
    const loading = new LoadState();
    loading.load(
      () => Promise.reject(new ApiError(401, 'Sign in first.')),
      () => {},
    );
    await Promise.resolve();
    expect(loading.refusal).toBe(401);

    loading.load(
      () => Promise.reject(new Error('offline')),
      () => {},
    );
    await Promise.resolve();
    expect(loading.refusal).toBe(0);
  });

  it('reads again without going back to loading, and answers what it read', async () => {
    const loading = new LoadState();
    loading.load(
      () => Promise.resolve(['a']),
      () => {},
    );
    await Promise.resolve();
    let found: string[] = [];
    const reading = loading.reload(
      () => Promise.resolve(['a', 'b']),
      (value) => (found = value),
    );
    expect(loading.status).toBe('ready');
    expect(await reading).toEqual(['a', 'b']);
    expect(found).toEqual(['a', 'b']);

    expect(
      await loading.reload(
        () => Promise.reject(new ApiError(403, 'Not allowed.')),
        () => {},
      ),
    ).toBeNull();
    expect(loading.status).toBe('error');
    expect(loading.error).toBe('Not allowed.');
    expect(loading.refusal).toBe(403);
  });
});
