import { beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../api/request';
import { pageLanguage } from '../i18n/pageLanguage.svelte';
import { VersionedChange, VersionedEdit } from './versionedEdit.svelte';

interface Note {
  title: string;
  body: string;
  tags: string[];
}

const opened: Note = { title: 'Langon', body: 'Football on Wednesdays', tags: ['sport'] };
const stale = () => new ApiError(409, 'Eli Editor changed this note at 10:02.', { code: 'stale' });
const noteEdit = () => new VersionedEdit<Note, keyof Note>({ fields: ['title', 'body', 'tags'] }, opened, 3);

describe('VersionedChange', () => {
  beforeAll(() => pageLanguage.use('en'));

  it('answers what the request answered, and is busy only while it runs', async () => {
    const change = new VersionedChange();
    const running = change.run(() => Promise.resolve('saved'), 'Not saved.');
    expect(change.busy).toBe(true);
    expect(await running).toBe('saved');
    expect(change.busy).toBe(false);
    expect(change.error).toBeNull();
    expect(change.conflict).toBeNull();
  });

  it('keeps a 409 apart as a conflict, and any other failure as an error', async () => {
    const change = new VersionedChange();
    expect(await change.run(() => Promise.reject(stale()), 'Not saved.')).toBeUndefined();
    expect(change.conflict).toBe('Eli Editor changed this note at 10:02.');
    expect(change.error).toBeNull();

    await change.run(() => Promise.reject(new Error('offline')), 'Not saved.');
    expect(change.conflict).toBeNull();
    expect(change.error).toBe('Not saved.');
  });

  it('says whether a request whose answer does not matter worked', async () => {
    const change = new VersionedChange();
    expect(await change.succeeded(() => Promise.resolve(undefined), 'Not deleted.')).toBe(true);
    expect(await change.succeeded(() => Promise.reject(new Error('offline')), 'Not deleted.')).toBe(false);
    expect(change.error).toBe('Not deleted.');
  });

  it('ends the conflict once the record is read again, and says when reading failed', async () => {
    const change = new VersionedChange();
    await change.run(() => Promise.reject(stale()), 'Not saved.');
    await change.retake(() => Promise.reject(new Error('offline')), 'Not read again.');
    expect(change.conflict).not.toBeNull();
    expect(change.error).toBe('Not read again.');

    let read = false;
    await change.retake(() => void (read = true), 'Not read again.');
    expect(read).toBe(true);
    expect(change.conflict).toBeNull();
    expect(change.error).toBeNull();
  });
});

describe('VersionedEdit', () => {
  beforeAll(() => pageLanguage.use('en'));

  it('compares the fields themselves when the options give no rule of their own', () => {
    const edit = noteEdit();
    expect(edit.changed).toBe(false);
    edit.draft.tags = ['sport', 'youth'];
    expect(edit.changes()).toEqual({ tags: ['sport', 'youth'] });
  });

  it('after a reload names what the other person changed and where both did, keeping the person’s text', async () => {
    const edit = noteEdit();
    edit.draft.body = 'Football on Wednesdays and Saturdays';
    await edit.run(() => Promise.reject(stale()), 'Not saved.');
    const theirs = { title: 'Langon stadium', body: 'Football on Thursdays', tags: ['sport'] };
    await edit.reload(async () => ({ record: theirs, version: 4 }), { gone: 'Deleted.', failure: 'Not read.' });

    expect(edit.conflict).toBeNull();
    expect(edit.reloaded).toBe(true);
    expect(edit.version).toBe(4);
    expect(edit.draft).toEqual({ ...theirs, body: 'Football on Wednesdays and Saturdays' });
    expect(edit.theirChanges).toEqual(['title', 'body']);
    expect(edit.clashes).toEqual([{ field: 'body', theirs: 'Football on Thursdays' }]);
  });

  it('forgets the last reload at the next conflict', async () => {
    const edit = noteEdit();
    await edit.reload(async () => ({ record: { ...opened, title: 'Bazas' }, version: 4 }), {
      gone: 'Deleted.',
      failure: 'Not read.',
    });
    expect(edit.theirChanges).toEqual(['title']);
    await edit.run(() => Promise.reject(stale()), 'Not saved.');
    expect(edit.reloaded).toBe(false);
    expect(edit.theirChanges).toEqual([]);
  });

  it('keeps the conflict and the person’s text when the record is gone', async () => {
    const edit = noteEdit();
    edit.draft.title = 'Langon, new pitch';
    await edit.run(() => Promise.reject(stale()), 'Not saved.');
    await edit.reload(async () => null, { gone: 'Deleted meanwhile.', failure: 'Not read.' });
    expect(edit.error).toBe('Deleted meanwhile.');
    expect(edit.conflict).not.toBeNull();
    expect(edit.draft.title).toBe('Langon, new pitch');
    expect(edit.version).toBe(3);
  });
});
