import { beforeAll, describe, expect, it } from 'vitest';
import { pageLanguage } from '../i18n/pageLanguage.svelte';
import { VersionedEdit } from '../ui/versionedEdit.svelte';
import {
  changedFields,
  draftOf,
  influenceLabel,
  memberRoleLabel,
  normalizeWebsite,
  placeAddressLine,
  sectorLabel,
  servicesHereText,
  stakeholderEdit,
  toStakeholder,
  type Stakeholder,
  type StakeholderDraft,
} from './stakeholders';

beforeAll(() => pageLanguage.use('en'));

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
  /** The form's state after the user typed `typed` and someone else saved `latest`, once reloaded. */
  async function reloaded(typed: Partial<StakeholderDraft>, latest: Stakeholder) {
    const edit = new VersionedEdit(stakeholderEdit, draftOf(cimade), cimade.version);
    Object.assign(edit.draft, typed);
    await edit.reload(async () => ({ record: draftOf(latest), version: latest.version }), {
      gone: 'gone',
      failure: 'failure',
    });
    return edit;
  }

  it('takes their change in where the user typed nothing, and keeps every field the user typed', async () => {
    const edit = await reloaded(
      { contribution: 'Legal advice and training' },
      { ...cimade, version: 4, contactPerson: 'Bea' },
    );
    expect(edit.draft.contactPerson).toBe('Bea');
    expect(edit.draft.contribution).toBe('Legal advice and training');
    expect(edit.version).toBe(4);
    expect(edit.clashes).toEqual([]);
  });

  it('names the fields both changed differently, keeping the user’s text', async () => {
    const edit = await reloaded({ contribution: 'Mine' }, { ...cimade, contribution: 'Theirs' });
    expect(edit.draft.contribution).toBe('Mine');
    expect(edit.clashes).toEqual([{ field: 'contribution', theirs: 'Theirs' }]);
  });

  it('does not call it a clash when both made the same change, spaces aside', async () => {
    const edit = await reloaded({ influence: 'high', contribution: 'Legal advice ' }, { ...cimade, influence: 'high' });
    expect(edit.clashes).toEqual([]);
    expect(edit.changes()).toEqual({});
  });
});

describe('the register’s words', () => {
  it('names sectors, member roles and influence, and shows an unknown code as it is', () => {
    expect(sectorLabel('migrant_association')).toBe('Migrant association');
    expect(sectorLabel(null)).toBe('No sector');
    expect(sectorLabel('guild')).toBe('guild');
    expect(memberRoleLabel('secretariat')).toBe('Secretariat');
    expect(memberRoleLabel(null)).toBe('Not a member');
    expect(influenceLabel('high')).toBe('High');
  });

  it('follows the page’s language', async () => {
    await pageLanguage.use('fr');
    try {
      expect(sectorLabel('public_authority')).not.toBe('Public authority');
      expect(servicesHereText(2)).toContain('2');
    } finally {
      await pageLanguage.use('en');
    }
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
