import { describe, expect, it } from 'vitest';
import { closureNotice } from './closureNotice';
import { matchServices } from './matchServices';
import type { DirectoryService } from '../api/directory';

const winter = {
  startsOn: '2026-12-20',
  endsOn: '2027-01-04',
  reopensOn: '2027-01-05',
  openingHours: null,
  note: null,
};

describe('closureNotice', () => {
  it('says a service is closed and when it reopens, from its first day to its last', () => {
    expect(closureNotice(winter, '2026-12-20')).toEqual({ kind: 'closedNow', reopensOn: '2027-01-05' });
    expect(closureNotice(winter, '2027-01-04')).toEqual({ kind: 'closedNow', reopensOn: '2027-01-05' });
  });

  it('announces a closure ahead with its days', () => {
    expect(closureNotice(winter, '2026-12-19')).toEqual({
      kind: 'closedAhead',
      startsOn: '2026-12-20',
      endsOn: '2027-01-04',
    });
  });

  it('speaks of exceptional hours rather than a closure when the service opens on those days', () => {
    expect(closureNotice({ ...winter, openingHours: 'Mo-Fr 10:00-12:00' }, '2026-12-22')).toEqual({
      kind: 'specialHours',
      startsOn: '2026-12-20',
      endsOn: '2027-01-04',
    });
  });

  it('says nothing once a closure in a saved copy has ended, or when there is none', () => {
    expect(closureNotice(winter, '2027-01-05')).toBeNull();
    expect(closureNotice(null, '2026-12-22')).toBeNull();
  });
});

describe('open now, during a temporary closure', () => {
  const period = { openFrom: '2026-12-19T23:00:00Z', openUntil: '2026-12-27T23:00:00Z' };
  const service = (id: string, openIntervals: [string, string][]): DirectoryService =>
    ({
      id,
      name: id,
      languages: [],
      audiences: [],
      free: null,
      openIntervals,
      closure: null,
    }) as unknown as DirectoryService;
  const criteria = { need: null, openNow: true, free: false, speaks: null, audience: null };

  it('leaves out a service whose open times the closure removed, and keeps one open as usual', () => {
    // The directory removes the closure's days from the open times: the closed service has none on Monday 21st.
    const usual = service('usual', [['2026-12-21T08:00:00Z', '2026-12-21T16:00:00Z']]);
    const closed = { ...service('closed', [['2026-12-28T08:00:00Z', '2026-12-28T16:00:00Z']]), closure: winter };
    const now = Date.parse('2026-12-21T10:00:00Z');
    const found = matchServices([usual, closed], criteria, period, null, now, new Intl.Collator('en'));
    expect(found.map((match) => match.service.id)).toEqual(['usual']);
  });
});
