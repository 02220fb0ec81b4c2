import { beforeAll, describe, expect, it } from 'vitest';
import { pageLanguage } from '../i18n/pageLanguage.svelte';
import {
  changeText,
  columnToFix,
  countItems,
  currentImport,
  isOpenPreview,
  overwriteKey,
  overwriteList,
  pageCount,
  parseTargetChoice,
  pollImport,
  problemText,
  progressPercent,
  sortVocabulary,
  targetChoice,
  vocabularyChanges,
} from './importPreview';
import type { ImportCounts, ImportJob, ImportRow, VocabularyEntry } from './importTypes';

beforeAll(async () => {
  await pageLanguage.use('en');
});

function job(overrides: Partial<ImportJob>): ImportJob {
  return {
    id: 'i1',
    status: 'preview',
    format: 'spreadsheet-csv',
    fileNames: ['services.csv'],
    source: null,
    createdAt: '2026-12-02T10:00:00Z',
    counts: null,
    report: null,
    ...overrides,
  };
}

describe('following an import while the server works', () => {
  it('asks again while it is read, and stops at the preview', async () => {
    const answers = [
      job({ status: 'reading', progress: { done: 1, total: 4, stage: 'reading' } }),
      job({ status: 'reading', progress: { done: 3, total: 4, stage: 'matching' } }),
      job({ status: 'preview' }),
      job({ status: 'committed' }),
    ];
    const seen: string[] = [];
    const waits: number[] = [];
    const settled = await pollImport(
      async () => answers.shift() ?? job({}),
      (latest) => seen.push(`${latest.status}:${latest.progress?.done ?? '-'}`),
      new AbortController().signal,
      async (ms) => void waits.push(ms),
    );
    expect(settled.status).toBe('preview');
    expect(seen).toEqual(['reading:1', 'reading:3', 'preview:-']);
    expect(waits).toEqual([700, 700]);
  });

  it('stops without an update once abandoned', async () => {
    const controller = new AbortController();
    const seen: string[] = [];
    const polling = pollImport(
      async () => {
        controller.abort();
        return job({ status: 'committing' });
      },
      (latest) => seen.push(latest.status),
      controller.signal,
      async () => {},
    );
    await expect(polling).rejects.toThrow(/abandoned/);
    expect(seen).toEqual([]);
  });

  it('turns progress into a percentage, and says nothing when the total is not known', () => {
    expect(progressPercent({ done: 1200, total: 5000, stage: 'reading' })).toBe(24);
    expect(progressPercent({ done: 7, total: 5, stage: 'writing' })).toBe(100);
    expect(progressPercent({ done: 0, total: 0, stage: 'reading' })).toBeNull();
    expect(progressPercent(null)).toBeNull();
  });
});

describe('the preview figures', () => {
  const counts: ImportCounts = {
    organizations: 10,
    services: 57,
    locations: 40,
    new: 50,
    updated: 5,
    unchanged: 2,
    gone: 3,
    errors: 1,
    warnings: 0,
    duplicates: 2,
    needsPlace: 6,
    conflicts: 0,
  };

  it('lists what comes in before what needs a look, and marks only figures above zero', () => {
    const items = countItems(counts);
    expect(items.map((item) => item.key)).toEqual([
      'new',
      'updated',
      'unchanged',
      'gone',
      'errors',
      'warnings',
      'duplicates',
      'needsPlace',
      'conflicts',
    ]);
    expect(items.find((item) => item.key === 'errors')).toMatchObject({ value: 1, tone: 'problem' });
    expect(items.find((item) => item.key === 'warnings')).toMatchObject({ value: 0, tone: 'plain' });
    expect(items.find((item) => item.key === 'gone')).toMatchObject({
      label: 'Gone from the source',
      tone: 'decision',
    });
  });
});

describe('the vocabulary', () => {
  const entries: VocabularyEntry[] = [
    {
      vocabulary: 'thematiques',
      value: 'apprendre-francais',
      count: 12,
      target: { kind: 'topic', id: 'language_courses' },
    },
    { vocabulary: 'publics', value: 'seniors', count: 2, target: null },
    { vocabulary: 'thematiques', value: 'mobilite', count: 9, target: null },
    { vocabulary: 'publics', value: 'femmes', count: 30, target: { kind: 'audience', id: 'women' } },
  ];

  it('puts the values not decided first, the most used first within each group', () => {
    expect(sortVocabulary(entries).map((entry) => entry.value)).toEqual([
      'mobilite',
      'seniors',
      'femmes',
      'apprendre-francais',
    ]);
  });

  it('writes a target as a select value and reads it back', () => {
    for (const target of [
      { kind: 'category', id: 'social_action' },
      { kind: 'topic', id: 'language_courses' },
      { kind: 'audience', id: 'women' },
      { kind: 'ignore' },
    ] as const) {
      expect(parseTargetChoice(targetChoice(target))).toEqual(target);
    }
    expect(targetChoice(null)).toBe('');
    expect(parseTargetChoice('')).toBeNull();
    expect(parseTargetChoice('place:bordeaux')).toBeNull();
    expect(parseTargetChoice('topic:')).toBeNull();
  });

  it('sends only the choices that change something, keyed as the API wants', () => {
    const chosen = {
      'thematiques:mobilite': 'topic:training',
      'publics:femmes': 'audience:women',
      'publics:seniors': '',
      'thematiques:apprendre-francais': 'ignore',
    };
    expect(vocabularyChanges(entries, chosen)).toEqual({
      'thematiques:mobilite': { kind: 'topic', id: 'training' },
      'thematiques:apprendre-francais': { kind: 'ignore' },
    });
  });
});

describe('fixing a row', () => {
  const row: ImportRow = {
    key: 9,
    row: 4,
    kind: 'service',
    name: 'Cours de français',
    outcome: 'error',
    problems: [{ field: 'Latitude', message: 'The latitude 100 is not between -90 and 90.', severity: 'error' }],
    cells: { Nom: 'Cours de français', Téléphone: '05 56', Latitude: '100' },
  };

  it('offers the column the problem names, even written differently', () => {
    expect(columnToFix(row, 'Latitude')).toBe('Latitude');
    expect(columnToFix(row, 'telephone')).toBe('Téléphone');
  });

  it('falls back on the first column, and offers nothing for a row without cells', () => {
    expect(columnToFix(row, 'service.category')).toBe('Nom');
    expect(columnToFix({ ...row, cells: null }, 'Latitude')).toBeNull();
  });
});

describe('overwrite choices', () => {
  it('become the list the API takes, by the rows’ keys in order', () => {
    const ticked = [overwriteKey(12, 'description'), overwriteKey(3, 'phone'), overwriteKey(3, 'email')];
    expect(overwriteList(ticked)).toEqual([
      { key: 3, field: 'email' },
      { key: 3, field: 'phone' },
      { key: 12, field: 'description' },
    ]);
  });

  it('keep a field whose name holds a colon whole', () => {
    expect(overwriteList([overwriteKey(5, 'schedule:monday')])).toEqual([{ key: 5, field: 'schedule:monday' }]);
  });

  it('show values of any shape as text', () => {
    expect(changeText('Cours le mardi')).toBe('Cours le mardi');
    expect(changeText(['fr', 'ar'])).toBe('fr, ar');
    expect(changeText(44.84)).toBe('44.84');
    expect(changeText(null)).toBe('');
    expect(changeText({ kind: 'topic' })).toBe('{"kind":"topic"}');
  });
});

describe('which import the tab opens on', () => {
  const now = new Date('2026-12-02T12:00:00Z');

  it('resumes the newest one still read, previewed or written', () => {
    const jobs = [
      job({ id: 'old-preview', status: 'preview', expiresAt: '2026-12-02T11:00:00Z' }),
      job({ id: 'committed', status: 'committed' }),
      job({ id: 'open', status: 'preview', expiresAt: '2026-12-03T10:00:00Z' }),
    ];
    expect(currentImport(jobs, now)?.id).toBe('open');
    expect(currentImport([job({ id: 'busy', status: 'committing' }), ...jobs], now)?.id).toBe('busy');
  });

  it('opens none when every import is finished or expired', () => {
    const jobs = [job({ status: 'undone' }), job({ status: 'preview', expiresAt: '2026-12-02T11:59:59Z' })];
    expect(currentImport(jobs, now)).toBeNull();
    expect(isOpenPreview(job({ status: 'preview' }), now)).toBe(true);
  });

  it('counts pages, one at least', () => {
    expect(pageCount(0, 50)).toBe(1);
    expect(pageCount(50, 50)).toBe(1);
    expect(pageCount(51, 50)).toBe(2);
  });
});

describe('a row’s problem', () => {
  const problem = {
    field: 'email',
    message: '"contact@" is not an e-mail address; it was left out.',
    severity: 'warning' as const,
  };

  it('is said in the reader’s language when the server gives a code the page knows, with its values', async () => {
    try {
      await pageLanguage.use('fr');
      expect(problemText({ ...problem, code: 'not-email', params: { value: 'contact@' } })).toBe(
        '«\u00a0contact@\u00a0» n’est pas une adresse e-mail\u00a0; elle a été écartée.',
      );
    } finally {
      await pageLanguage.use('en');
    }
  });

  it('is the server’s sentence when it has no code, or one the page has no message for', () => {
    expect(problemText(problem)).toBe(problem.message);
    expect(problemText({ ...problem, code: 'something-new', params: { value: 'x' } })).toBe(problem.message);
  });
});
