import { afterAll, describe, expect, it } from 'vitest';
import { errorMessages } from '../../../server/src/domain/messages/errorMessages';
import { pageLanguage } from '../i18n/pageLanguage.svelte';
import type { Messages } from '../i18n/translate';
import english from './messages/en.json';
import { errorText } from './errorText';
import { ApiError } from './request';

/** The message of `error.<code>` in a message file, following the dots of the code. */
function messageOf(messages: Messages, code: string): string | Messages | undefined {
  let node: string | Messages | undefined = messages.error;
  for (const part of code.split('.')) node = typeof node === 'object' ? node[part] : undefined;
  return node;
}

describe('errorText', () => {
  afterAll(() => pageLanguage.use('en'));

  it('has an English message for every code the server answers with', () => {
    const missing = Object.keys(errorMessages).filter((code) => messageOf(english, code) === undefined);
    expect(missing).toEqual([]);
  });

  it('says a refusal of the schema in French on a French page', async () => {
    await pageLanguage.use('fr');
    const refusal = new ApiError(400, 'Field "name" is missing "name".', {
      code: 'validation.required',
      params: { where: 'body', field: 'name', missing: 'name' },
    });
    expect(errorText(refusal, 'Échec.')).toBe('« name » est obligatoire.');
    const tooLong = new ApiError(400, 'Field "name" must have at most 300 characters.', {
      code: 'validation.max-length',
      params: { where: 'body', field: 'name', limit: 1200 },
    });
    expect(errorText(tooLong, 'Échec.')).toBe(`« name » est trop long (limite : ${(1200).toLocaleString('fr')}).`);
  });

  it('leaves out the English words the server fills in, and writes its dates in the reader’s language', async () => {
    await pageLanguage.use('fr');
    const conflict = new ApiError(409, 'Eli Editor changed this SWOT item at 14:03, after you opened it. Reload it…', {
      code: 'conflict.stale-version',
      params: {
        who: 'Eli Editor',
        noun: 'SWOT item',
        when: '14:03',
        changedAt: '2026-12-03T14:03:00.000Z',
        advice: 'Reload it to see their change, then make yours again.',
      },
    });
    const text = errorText(conflict, 'Échec.');
    expect(text).toContain('Eli Editor a modifié cet enregistrement le ');
    expect(text).toContain(pageLanguage.format.dateTime('2026-12-03T14:03:00.000Z'));
    expect(text).not.toMatch(/SWOT item|Reload/);
  });

  it('keeps the server’s own sentence on an English page, and the fallback for a failure that is not a refusal', async () => {
    await pageLanguage.use('en');
    const conflict = new ApiError(409, 'Eli Editor changed this SWOT item at 14:03, after you opened it.', {
      code: 'conflict.stale-version',
      params: { who: 'Eli Editor', noun: 'SWOT item' },
    });
    expect(errorText(conflict, 'Failed.')).toBe('Eli Editor changed this SWOT item at 14:03, after you opened it.');
    expect(errorText(new ApiError(0, 'The server could not be reached.'), 'Failed.')).toBe(
      'The server could not be reached. Check the connection and try again.',
    );
    expect(errorText(new TypeError('internal'), 'Failed.')).toBe('Failed.');
  });

  it('shows the server’s English sentence for a code the page does not know', async () => {
    await pageLanguage.use('fr');
    expect(errorText(new ApiError(400, 'Something new.', { code: 'brand-new.code' }), 'Échec.')).toBe('Something new.');
  });
});
