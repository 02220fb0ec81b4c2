import { describe, expect, it } from 'vitest';
import { startAlliance } from './startAlliance';

const alliances = [{ slug: 'bordeaux' }, { slug: 'gent' }, { slug: 'malmo' }];

describe('the alliance the workspace map opens on', () => {
  it('is the one chosen last on this device while it exists', () => {
    expect(startAlliance({ alliances, memberships: [{ allianceSlug: 'gent' }], remembered: 'malmo' })).toBe('malmo');
  });

  it('is "All alliances" only when that was the last choice', () => {
    expect(startAlliance({ alliances, memberships: [{ allianceSlug: 'gent' }], remembered: null })).toBeNull();
  });

  it('is the person’s own alliance when nothing is remembered or the remembered one is gone', () => {
    expect(startAlliance({ alliances, memberships: [{ allianceSlug: 'gent' }], remembered: undefined })).toBe('gent');
    expect(
      startAlliance({
        alliances,
        memberships: [{ allianceSlug: 'closed' }, { allianceSlug: 'malmo' }],
        remembered: 'gone',
      }),
    ).toBe('malmo');
  });

  it('is the first alliance listed for someone signed out, and none when there is no alliance', () => {
    expect(startAlliance({ alliances, memberships: [], remembered: undefined })).toBe('bordeaux');
    expect(startAlliance({ alliances: [], memberships: [], remembered: undefined })).toBeNull();
  });
});
