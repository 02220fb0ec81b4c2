import { beforeAll, describe, expect, it } from 'vitest';
import { pageLanguage } from '../i18n/pageLanguage.svelte';
import { VersionedEdit } from '../ui/versionedEdit.svelte';
import { actionEdit, changesBody, createBody, draftProblems, emptyDraft, parseBudget } from './actionDraft';
import { actionForGapHref, gapFromHash, hashWithoutQuery } from './gapPrefill';

describe('the action form', () => {
  beforeAll(() => pageLanguage.use('en'));

  it('reads budgets as people write them, with either decimal separator', () => {
    expect(parseBudget('')).toBeNull();
    expect(parseBudget('1500')).toBe(1500);
    expect(parseBudget('1 500,50')).toBe(1500.5);
    expect(parseBudget('1,500.50')).toBe(1500.5);
    expect(parseBudget('12,345,678')).toBe(12345678);
    expect(parseBudget('2,5')).toBe(2.5);
    expect(parseBudget('about 300')).toBeNaN();
  });

  it('says what keeps a draft from being saved', () => {
    const draft = { ...emptyDraft(), estimatedBudget: 'lots', startsOn: '2027-06-01', dueOn: '2027-01-01' };
    expect(draftProblems(draft)).toEqual({
      title: 'Say what action is to be taken.',
      estimatedBudget: 'Write the budget as a number, e.g. 1500 or 1500.50.',
      dueOn: 'The due date is before the start date.',
    });
    expect(draftProblems({ ...emptyDraft(), title: 'Football in Langon' })).toEqual({});
  });

  it('leaves empty fields out of a new action, so that the server fills the gap’s reason and the currency', () => {
    const body = createBody(
      { ...emptyDraft(), title: ' Football in Langon ', estimatedBudget: '1500' },
      { runId: 'r1', unitId: 'u1', subject: 'socio_cultural_sports' },
    );
    expect(body).toEqual({
      title: 'Football in Langon',
      estimatedBudget: 1500,
      partnerOrganizationIds: [],
      status: 'proposed',
      published: false,
      gapRunId: 'r1',
      gapUnitId: 'u1',
      gapSubject: 'socio_cultural_sports',
    });
  });

  it('sends only the fields a person changed, clearing those they emptied', () => {
    const base = { ...emptyDraft(), title: 'Football', indicator: '20 players', status: 'planned' as const };
    expect(changesBody(base, { ...base, indicator: '', status: 'in_progress' })).toEqual({
      indicator: null,
      status: 'in_progress',
    });
  });

  it('after a conflict keeps what the person typed and takes the rest from the other person’s change', async () => {
    const oldBase = { ...emptyDraft(), title: 'Football', indicator: '20 players', resources: 'Town hall' };
    const theirs = { ...oldBase, indicator: '30 players', resources: 'CAF grant', status: 'planned' as const };
    const edit = new VersionedEdit(
      actionEdit((id) => id),
      oldBase,
      3,
    );
    Object.assign(edit.draft, { indicator: '25 players', description: 'Wednesdays' });
    await edit.reload(async () => ({ record: theirs, version: 4 }), { gone: 'gone', failure: 'failure' });
    expect(edit.error).toBeNull();
    expect(edit.draft).toEqual({ ...theirs, indicator: '25 players', description: 'Wednesdays' });
    expect(edit.theirChanges).toEqual(['resources', 'indicator', 'status']);
    expect(edit.clashes).toEqual([{ field: 'indicator', theirs: '30 players' }]);
    expect(edit.version).toBe(4);
  });

  it('names the other person’s status and organisations as a person reads them', () => {
    const names: Record<string, string> = { o1: 'CAF', o2: 'Mairie' };
    const { describe } = actionEdit((id) => names[id] ?? id);
    const theirs = { ...emptyDraft(), status: 'in_progress' as const, responsibleOrganizationId: 'o1' };
    expect(describe!('status', theirs)).toBe('In progress');
    expect(describe!('responsibleOrganizationId', theirs)).toBe('CAF');
    expect(describe!('partnerOrganizationIds', { ...theirs, partnerOrganizationIds: ['o1', 'o2'] })).toBe(
      'CAF, Mairie',
    );
    expect(describe!('published', theirs)).toBe('Not published');
  });
});

describe('an action for a gap', () => {
  it('travels in the action plan’s hash and is read back from it', () => {
    const gap = { runId: 'r1', unitId: 'u 1', subject: 'language_courses' };
    const hash = actionForGapHref('bordeaux', gap);
    expect(hash).toBe('#/alliance/bordeaux/actions?fromRun=r1&unit=u+1&subject=language_courses');
    expect(gapFromHash(hash)).toEqual(gap);
    expect(hashWithoutQuery(hash)).toBe('#/alliance/bordeaux/actions');
  });

  it('is none when the hash names only part of it', () => {
    expect(gapFromHash('#/alliance/bordeaux/actions')).toBeNull();
    expect(gapFromHash('#/alliance/bordeaux/actions?fromRun=r1&unit=u1')).toBeNull();
  });
});
