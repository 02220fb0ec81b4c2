import { beforeAll, describe, expect, it } from 'vitest';
import { pageLanguage } from '../i18n/pageLanguage.svelte';
import { changeSummary, fieldChanges, fieldLabel, formatChangeTime, formatChangeValue, type Change } from './history';

beforeAll(() => pageLanguage.use('en'));

const update: Change = {
  id: '42',
  changeSet: 'cs1',
  entityType: 'organization',
  entityId: 'o1',
  entityLabel: 'La Cimade',
  action: 'update',
  changedAt: '2026-11-23T14:02:00Z',
  author: { accountId: 'a1', displayName: 'Camille Coordinator' },
  authorLabel: null,
  changedFields: ['contact_person', 'version', 'updated_at', 'sector'],
  old: { contact_person: 'Ana', sector: null, version: 1 },
  new: { contact_person: 'Bea', sector: 'ngo', version: 2 },
};

describe('the change log as people read it', () => {
  it('says who did what to which record', () => {
    expect(changeSummary(update)).toBe('Camille Coordinator changed the organisation “La Cimade”');
    expect(changeSummary({ ...update, action: 'delete', author: null })).toMatch(
      /^Someone without an account .* deleted the organisation “La Cimade”$/,
    );
    expect(changeSummary({ ...update, action: 'create', entityType: 'plan_action', entityLabel: null })).toBe(
      'Camille Coordinator added the action',
    );
    expect(changeSummary({ ...update, entityType: 'funding_source', entityLabel: 'ESF+' })).toBe(
      'Camille Coordinator changed the funding source “ESF+”',
    );
  });

  it('names an author without an account by its label, and adds the label to an account’s', () => {
    const label = 'Centre Alpha (through its self-service link)';
    expect(changeSummary({ ...update, author: null, authorLabel: label })).toBe(
      `${label} changed the organisation “La Cimade”`,
    );
    expect(changeSummary({ ...update, authorLabel: 'approved change from Centre Alpha' })).toBe(
      'Camille Coordinator (approved change from Centre Alpha) changed the organisation “La Cimade”',
    );
  });

  it('writes values in words: yes or no, lists, nothing', () => {
    expect(formatChangeValue(true)).toBe('yes');
    expect(formatChangeValue([])).toBe('(none)');
    expect(formatChangeValue(['a', 'b', 'c'])).toBe('a, b, c');
    expect(formatChangeValue('high', 'influence')).toBe('High');
  });

  it('says the sentence in the page’s language', async () => {
    await pageLanguage.use('fr');
    try {
      expect(changeSummary(update)).toContain('La Cimade');
      expect(changeSummary(update)).not.toContain('changed');
      expect(fieldLabel('contact_phone')).not.toBe('Contact phone');
    } finally {
      await pageLanguage.use('en');
    }
  });

  it('lists the changed fields with old and new values, leaving out the book-keeping', () => {
    expect(fieldChanges(update)).toEqual([
      { field: 'contact_person', before: 'Ana', after: 'Bea' },
      { field: 'sector', before: '(empty)', after: 'NGO' },
    ]);
  });

  it('labels fields named either way', () => {
    expect(fieldLabel('contact_phone')).toBe('Contact phone');
    expect(fieldLabel('contactPhone')).toBe('Contact phone');
    expect(fieldLabel('what_matters')).toBe('What matters to them');
  });

  it('shows a moved location’s position as latitude and longitude', () => {
    const moved: Change = {
      ...update,
      entityType: 'location',
      changedFields: ['geog'],
      old: { geog: { type: 'Point', coordinates: [-0.5805, 44.84044] } },
      new: { geog: { type: 'Point', coordinates: [-0.57, 44.83] } },
    };
    expect(fieldChanges(moved)).toEqual([{ field: 'geog', before: '44.84044, -0.58050', after: '44.83000, -0.57000' }]);
  });

  it('reads a translation’s review: the field, the origin and the review state in words, no md5', () => {
    const reviewed: Change = {
      ...update,
      entityType: 'translation',
      entityLabel: 'Conseils pour le logement.',
      changedFields: ['text', 'origin', 'reviewState', 'reviewedBy', 'sourceHash'],
      old: {
        field: 'fees_description',
        language: 'fr',
        text: 'Conseil',
        origin: 'machine',
        reviewState: 'machine-draft',
      },
      new: { field: 'fees_description', language: 'fr', text: 'Conseils', origin: 'human', reviewState: 'reviewed' },
    };
    expect(changeSummary(reviewed)).toBe('Camille Coordinator changed the translation “Conseils pour le logement.”');
    expect(fieldChanges(reviewed)).toEqual([
      { field: 'text', before: 'Conseil', after: 'Conseils' },
      { field: 'origin', before: 'machine translation', after: 'written by a person' },
      { field: 'reviewState', before: 'machine draft, not reviewed yet', after: 'reviewed' },
    ]);
    expect(formatChangeValue('fees_description', 'field')).toBe('Fees');
    expect(formatChangeValue('fr', 'language')).toBe('Français');
    expect(formatChangeValue('2026-12-03T13:38:46.361+00:00', 'reviewedAt')).toBe(
      formatChangeTime('2026-12-03T13:38:46.361+00:00'),
    );
  });
});
