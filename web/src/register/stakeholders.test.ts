import { describe, expect, it } from 'vitest';
import {
  changedFields,
  draftOf,
  normalizeWebsite,
  placeAddressLine,
  rebaseDraft,
  servicesHereText,
  toStakeholder,
  type Stakeholder,
} from './stakeholders';

const cimade: Stakeholder = {
  id: 'o1',
  name: 'La Cimade',
  version: 3,
  sector: 'ngo',
  memberRole: 'member',
  website: 'https://www.lacimade.org',
  email: null,
  address: null,
  contactPerson: 'Ana',
  contactPhone: null,
  contactEmail: null,
  contribution: 'Legal advice',
  whatMatters: null,
  influence: 'medium',
  engagementStrategy: null,
};

describe('the stakeholder register’s rows', () => {
  it('reads stakeholder fields beside the organisation’s own or grouped under "stakeholder"', () => {
    const grouped = toStakeholder({
      id: 'o1',
      name: 'La Cimade',
      version: 2,
      sector: 'ngo',
      stakeholder: { contactPerson: 'Ana', influence: 'high' },
      locations: [{ address: '1 rue X', town: 'Bordeaux' }],
    });
    expect(grouped).toMatchObject({ contactPerson: 'Ana', influence: 'high', address: '1 rue X, Bordeaux' });
    expect(toStakeholder({ id: 'o2', name: 'B', version: 1, contactPerson: 'Li' }).contactPerson).toBe('Li');
  });
});

describe('what the form sends', () => {
  it('sends only the fields that changed, an emptied one as null', () => {
    const base = draftOf(cimade);
    const draft = { ...base, contactPerson: '', sector: 'education', contribution: 'Legal advice ' };
    expect(changedFields(base, draft)).toEqual({ contactPerson: null, sector: 'education' });
  });

  it('completes a website without its scheme', () => {
    expect(normalizeWebsite('example.org')).toBe('https://example.org');
    expect(normalizeWebsite('http://example.org')).toBe('http://example.org');
    expect(normalizeWebsite('  ')).toBe('');
  });
});

describe('after someone else saved first (409)', () => {
  it('takes their change in where the user typed nothing, and keeps every field the user typed', () => {
    const base = draftOf(cimade);
    const draft = { ...base, contribution: 'Legal advice and training' };
    const latest = draftOf({ ...cimade, version: 4, contactPerson: 'Bea' });
    const { draft: next, clashes } = rebaseDraft(base, draft, latest);
    expect(next.contactPerson).toBe('Bea');
    expect(next.contribution).toBe('Legal advice and training');
    expect(clashes).toEqual([]);
  });

  it('names the fields both changed differently, keeping the user’s text', () => {
    const base = draftOf(cimade);
    const draft = { ...base, contribution: 'Mine' };
    const latest = draftOf({ ...cimade, contribution: 'Theirs' });
    const { draft: next, clashes } = rebaseDraft(base, draft, latest);
    expect(next.contribution).toBe('Mine');
    expect(clashes).toEqual([{ field: 'contribution', theirs: 'Theirs' }]);
  });

  it('does not call it a clash when both made the same change', () => {
    const base = draftOf(cimade);
    const same = { ...base, influence: 'high' };
    expect(rebaseDraft(base, same, same).clashes).toEqual([]);
  });
});

describe('an organisation’s places', () => {
  it('writes the address on one line, leaving out what is not recorded', () => {
    expect(placeAddressLine({ address: '12 rue Sainte-Catherine', postalCode: '33000', town: 'Bordeaux' })).toBe(
      '12 rue Sainte-Catherine, 33000 Bordeaux',
    );
    expect(placeAddressLine({ address: null, postalCode: null, town: 'Bordeaux' })).toBe('Bordeaux');
    expect(placeAddressLine({ address: ' ', postalCode: null, town: null })).toBeNull();
  });

  it('counts the services offered at a place in words', () => {
    expect(servicesHereText(0)).toBe('No service offered here');
    expect(servicesHereText(1)).toBe('1 service offered here');
    expect(servicesHereText(3)).toBe('3 services offered here');
  });
});
