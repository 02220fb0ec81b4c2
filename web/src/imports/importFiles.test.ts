import { beforeAll, describe, expect, it } from 'vitest';
import { pageLanguage } from '../i18n/pageLanguage.svelte';
import { filesProblem, formatBytes, limitWords, readImportLimits, sourceNameFromFiles } from './importFiles';

beforeAll(async () => {
  await pageLanguage.use('en');
});

describe('the upload limit', () => {
  it('reads the limit the server states, and says it as a round figure', () => {
    const limits = readImportLimits({ maxBytes: 62_914_560, maxSize: '60 MB', formats: ['hsds-json'] });
    expect(limits).toEqual({ maxBytes: 62_914_560, maxSize: '60 MB' });
    expect(limitWords(limits)).toBe('60 MB');
    expect(limitWords(readImportLimits({ maxBytes: 10 * 1024 * 1024 }))).toBe('10 MB');
  });

  it('shows no limit rather than a wrong one when the answer has none', () => {
    expect(readImportLimits({ maxBytes: 'sixty', maxSize: '60 MB' })).toEqual({ maxBytes: null, maxSize: null });
    expect(limitWords(readImportLimits(null))).toBeNull();
  });

  it('says a round limit as the round number it was set to, in either unit', () => {
    expect(formatBytes(60 * 1024 * 1024)).toBe('60 MB');
    expect(formatBytes(60_000_000)).toBe('60 MB');
    expect(formatBytes(1_572_864)).toBe('1.5 MB');
    expect(formatBytes(2048)).toBe('2 kB');
    expect(formatBytes(12)).toBe('12 bytes');
  });

  it('says sizes in the reader’s language, figures and units', async () => {
    try {
      await pageLanguage.use('fr');
      expect(formatBytes(60 * 1024 * 1024)).toBe('60 Mo');
      expect(formatBytes(1_572_864)).toBe('1,5 Mo');
      expect(filesProblem([{ name: 'vide.csv', size: 0 }], { maxBytes: 1000 })).toBe(
        '«\u00a0vide.csv\u00a0» est vide.',
      );
    } finally {
      await pageLanguage.use('en');
    }
  });
});

describe('checking files before they are sent', () => {
  const limits = { maxBytes: 1000 };

  it('lets readable files under the limit through', () => {
    const files = [
      { name: 'structures.json', size: 400 },
      { name: 'services.JSON', size: 500 },
    ];
    expect(filesProblem(files, limits)).toBeNull();
  });

  it('names a file of a kind no reader takes', () => {
    expect(filesProblem([{ name: 'partners.pdf', size: 10 }], limits)).toMatch(/“partners\.pdf” is not a kind/);
  });

  it('names an empty file', () => {
    expect(filesProblem([{ name: 'empty.csv', size: 0 }], limits)).toBe('“empty.csv” is empty.');
  });

  it('counts the files together against the limit and says both sizes', () => {
    const files = [
      { name: 'a.csv', size: 600 },
      { name: 'b.csv', size: 600 },
    ];
    expect(filesProblem(files, { maxBytes: 1_048_576 })).toBeNull();
    expect(filesProblem(files, limits)).toBe('These files weigh 1.2 kB; the limit is 1,000 bytes.');
  });

  it('asks for a file when none is chosen', () => {
    expect(filesProblem([], limits)).toMatch(/Choose a file/);
  });
});

describe('the default source name', () => {
  it('is the first file’s name without its extension', () => {
    expect(sourceNameFromFiles([{ name: 'Partners 2026.xlsx' }])).toBe('Partners 2026');
    expect(sourceNameFromFiles([{ name: '.hidden' }])).toBe('.hidden');
    expect(sourceNameFromFiles([])).toBe('');
  });
});
