import { beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../api/request';
import { pageLanguage } from '../i18n/pageLanguage.svelte';
import { RowActions } from './rowActions.svelte';

describe('RowActions', () => {
  beforeAll(() => pageLanguage.use('en'));

  it('keeps a row busy while its request runs, and closes its confirmation once done', async () => {
    const rows = new RowActions();
    rows.confirm('a');
    expect(rows.confirmingId).toBe('a');
    const running = rows.run('a', () => Promise.resolve('removed'), 'Not removed.');
    expect(rows.busyId).toBe('a');
    expect(await running).toBe('removed');
    expect(rows.busyId).toBeNull();
    expect(rows.confirmingId).toBeNull();
    expect(rows.errorOf('a')).toBeNull();
  });

  it('shows a failure under the row it concerns only, until the next confirmation', async () => {
    const rows = new RowActions();
    expect(
      await rows.run('a', () => Promise.reject(new ApiError(403, 'Not allowed.')), 'Not removed.'),
    ).toBeUndefined();
    expect(rows.errorOf('a')).toBe('Not allowed.');
    expect(rows.errorOf('b')).toBeNull();

    await rows.run('b', () => Promise.reject(new Error('offline')), 'Not removed.');
    expect(rows.errorOf('a')).toBeNull();
    expect(rows.errorOf('b')).toBe('Not removed.');
    expect(rows.error).toBe('Not removed.');

    expect(await rows.succeeded('b', () => Promise.resolve(undefined), 'Not removed.')).toBe(true);
    expect(await rows.succeeded('b', () => Promise.reject(new Error('offline')), 'Not removed.')).toBe(false);
    rows.confirm('b');
    expect(rows.errorOf('b')).toBeNull();
    rows.keep();
    expect(rows.confirmingId).toBeNull();
  });
});
