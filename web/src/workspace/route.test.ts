import { describe, expect, it } from 'vitest';
import { formatRoute, landingAfterSignIn, parseRoute, signInHref, workspaceHref, type AppRoute } from './route';

describe('app routes', () => {
  it('shows the map for an empty, bare or unknown hash', () => {
    expect(parseRoute('')).toEqual({ view: 'map' });
    expect(parseRoute('#/')).toEqual({ view: 'map' });
    expect(parseRoute('#/nowhere/at-all')).toEqual({ view: 'map' });
  });

  it('reads a gap analysis with its run and subject', () => {
    expect(parseRoute('#/gap-analysis/bordeaux?run=r1&subject=social_action&measure=score')).toEqual({
      view: 'gap-analysis',
      alliance: 'bordeaux',
      run: 'r1',
      subject: 'social_action',
      compare: null,
      measure: 'score',
      classes: null,
      area: null,
    });
  });

  it('reads the area whose detail a gap analysis link opens', () => {
    const hash = '#/gap-analysis/bordeaux?run=r1&subject=social_action&area=6f1c2a4e-0b7d-4c55-9a51-2d3e4f5a6b7c';
    expect(parseRoute(hash)).toMatchObject({ run: 'r1', area: '6f1c2a4e-0b7d-4c55-9a51-2d3e4f5a6b7c' });
    expect(parseRoute('#/gap-analysis/bordeaux?run=r1&area=')).toMatchObject({ area: null });
  });

  it('writes the open area into the gap analysis link, and leaves it out when none is open', () => {
    const route: AppRoute = {
      view: 'gap-analysis',
      alliance: 'bordeaux',
      run: 'r1',
      subject: 'social_action',
      compare: null,
      measure: null,
      classes: null,
      area: 'u 1',
    };
    expect(formatRoute(route)).toBe('#/gap-analysis/bordeaux?run=r1&subject=social_action&area=u+1');
    expect(formatRoute({ ...route, area: null })).toBe('#/gap-analysis/bordeaux?run=r1&subject=social_action');
    expect(formatRoute({ ...route, area: undefined })).toBe('#/gap-analysis/bordeaux?run=r1&subject=social_action');
  });

  it('carries the part of the gap analysis page a link brings into view', () => {
    const hash = '#/gap-analysis/bordeaux?section=road-network';
    expect(parseRoute(hash)).toMatchObject({ view: 'gap-analysis', alliance: 'bordeaux', section: 'road-network' });
    expect(formatRoute(parseRoute(hash))).toBe(hash);
    expect(parseRoute('#/gap-analysis/bordeaux?section=elsewhere')).not.toHaveProperty('section');
  });

  it('does not take a page whose name merely starts like the gap analysis for it', () => {
    expect(parseRoute('#/gap-analysis-old')).toEqual({ view: 'map' });
  });

  it('reads an alliance workspace tab', () => {
    expect(parseRoute('#/alliance/bordeaux/history')).toEqual({
      view: 'workspace',
      alliance: 'bordeaux',
      tab: 'history',
    });
  });

  it('reads the reports tab, and the link from a report to its service on the map', () => {
    expect(parseRoute('#/alliance/bordeaux/reports')).toEqual({
      view: 'workspace',
      alliance: 'bordeaux',
      tab: 'reports',
    });
    const service = 'a1b2c3d4-0000-4000-8000-000000000001';
    expect(parseRoute(`#/service/${service}`)).toEqual({ view: 'map', service });
    expect(formatRoute({ view: 'map', service })).toBe(`#/service/${service}`);
    expect(parseRoute('#/service/')).toEqual({ view: 'map' });
  });

  it('reads the import tab', () => {
    expect(parseRoute('#/alliance/bordeaux/import')).toEqual({
      view: 'workspace',
      alliance: 'bordeaux',
      tab: 'import',
    });
    expect(workspaceHref('bordeaux', 'import')).toBe('#/alliance/bordeaux/import');
  });

  it('opens the register when the tab is missing or unknown', () => {
    expect(parseRoute('#/alliance/bordeaux')).toEqual({ view: 'workspace', alliance: 'bordeaux', tab: 'register' });
    expect(parseRoute('#/alliance/bordeaux/secrets')).toEqual({
      view: 'workspace',
      alliance: 'bordeaux',
      tab: 'register',
    });
  });

  it('reads the settings tab of an alliance', () => {
    expect(parseRoute('#/alliance/testregion/settings')).toEqual({
      view: 'workspace',
      alliance: 'testregion',
      tab: 'settings',
    });
    expect(workspaceHref('testregion', 'settings')).toBe('#/alliance/testregion/settings');
  });

  it('reads the page that creates an alliance, whatever follows it', () => {
    expect(parseRoute('#/new-alliance')).toEqual({ view: 'new-alliance' });
    expect(parseRoute('#/new-alliance/')).toEqual({ view: 'new-alliance' });
    expect(parseRoute('#/new-alliance?from=menu')).toEqual({ view: 'new-alliance' });
    expect(formatRoute({ view: 'new-alliance' })).toBe('#/new-alliance');
  });

  it('reads the person’s own account page, whatever follows it', () => {
    expect(parseRoute('#/account')).toEqual({ view: 'account' });
    expect(parseRoute('#/account/')).toEqual({ view: 'account' });
    expect(parseRoute('#/account?from=menu')).toEqual({ view: 'account' });
    expect(formatRoute({ view: 'account' })).toBe('#/account');
  });

  it('comes back from sign-in to the account page', () => {
    expect(parseRoute(`#/sign-in?next=${encodeURIComponent('#/account')}`)).toEqual({
      view: 'sign-in',
      next: '#/account',
    });
    expect(landingAfterSignIn('#/account', [{ allianceSlug: 'bordeaux' }])).toEqual({ view: 'account' });
  });

  it('comes back from sign-in to the page that creates an alliance', () => {
    expect(parseRoute(`#/sign-in?next=${encodeURIComponent('#/new-alliance')}`)).toEqual({
      view: 'sign-in',
      next: '#/new-alliance',
    });
    expect(landingAfterSignIn('#/new-alliance', [])).toEqual({ view: 'new-alliance' });
  });

  it('reads the workspace without an alliance as the list of the person’s alliances', () => {
    expect(parseRoute('#/alliance')).toEqual({ view: 'workspace', alliance: null, tab: 'register' });
  });

  it('reads the sign-in page with the page to come back to', () => {
    expect(parseRoute('#/sign-in')).toEqual({ view: 'sign-in', next: null });
    expect(parseRoute(`#/sign-in?next=${encodeURIComponent('#/alliance/bordeaux/members')}`)).toEqual({
      view: 'sign-in',
      next: '#/alliance/bordeaux/members',
    });
  });

  it('never comes back from sign-in to another site or to the sign-in page itself', () => {
    expect(parseRoute(`#/sign-in?next=${encodeURIComponent('https://evil.example/')}`)).toEqual({
      view: 'sign-in',
      next: null,
    });
    expect(parseRoute(`#/sign-in?next=${encodeURIComponent('javascript:alert(1)')}`)).toEqual({
      view: 'sign-in',
      next: null,
    });
    expect(parseRoute(`#/sign-in?next=${encodeURIComponent('#/sign-in')}`)).toEqual({ view: 'sign-in', next: null });
  });

  it('reads a password reset request and a reset link', () => {
    expect(parseRoute('#/password-reset')).toEqual({ view: 'password-reset', token: null });
    expect(parseRoute('#/password-reset/abc_DEF-123')).toEqual({ view: 'password-reset', token: 'abc_DEF-123' });
  });

  it('reads an invitation link, and shows the map for one without its token', () => {
    expect(parseRoute('#/invitation/tok-123')).toEqual({ view: 'invitation', token: 'tok-123' });
    expect(parseRoute('#/invitation')).toEqual({ view: 'map' });
  });

  it('reads a public profile', () => {
    expect(parseRoute('#/profile/bordeaux')).toEqual({ view: 'profile', alliance: 'bordeaux' });
  });

  it('decodes escaped slugs and survives a broken escape', () => {
    expect(parseRoute('#/alliance/ga%C3%AFa/members')).toEqual({ view: 'workspace', alliance: 'gaïa', tab: 'members' });
    expect(parseRoute('#/profile/%E0%A4%A')).toEqual({ view: 'profile', alliance: '%E0%A4%A' });
  });

  it('writes every route back to the hash it was read from', () => {
    const routes: AppRoute[] = [
      { view: 'map' },
      { view: 'sign-in', next: null },
      { view: 'sign-in', next: '#/alliance/bordeaux/history' },
      { view: 'password-reset', token: null },
      { view: 'password-reset', token: 'abc' },
      { view: 'invitation', token: 'xyz' },
      { view: 'new-alliance' },
      { view: 'account' },
      { view: 'workspace', alliance: 'testregion', tab: 'settings' },
      { view: 'workspace', alliance: null, tab: 'register' },
      { view: 'workspace', alliance: 'gaïa', tab: 'swot' },
      { view: 'profile', alliance: 'bordeaux' },
      {
        view: 'gap-analysis',
        alliance: 'bordeaux',
        run: 'r1',
        subject: null,
        compare: null,
        measure: null,
        classes: 'equal',
        area: null,
      },
      {
        view: 'gap-analysis',
        alliance: 'bordeaux',
        run: 'r1',
        subject: 'social_action',
        compare: null,
        measure: null,
        classes: null,
        area: '6f1c2a4e-0b7d-4c55-9a51-2d3e4f5a6b7c',
      },
    ];
    for (const route of routes) expect(parseRoute(formatRoute(route))).toEqual(route);
  });

  it('links to a workspace tab and to the sign-in page with its way back', () => {
    expect(workspaceHref('bordeaux', 'members')).toBe('#/alliance/bordeaux/members');
    expect(workspaceHref('bordeaux')).toBe('#/alliance/bordeaux/register');
    expect(signInHref('#/alliance/bordeaux/members')).toBe('#/sign-in?next=%23%2Falliance%2Fbordeaux%2Fmembers');
    expect(signInHref()).toBe('#/sign-in');
  });
});

describe('landing after sign-in', () => {
  it('goes back to the page that asked for it', () => {
    expect(landingAfterSignIn('#/alliance/lyon/history', [{ allianceSlug: 'bordeaux' }])).toEqual({
      view: 'workspace',
      alliance: 'lyon',
      tab: 'history',
    });
  });

  it('opens the workspace of the person’s only alliance, or the list of several', () => {
    expect(landingAfterSignIn(null, [{ allianceSlug: 'bordeaux' }])).toEqual({
      view: 'workspace',
      alliance: 'bordeaux',
      tab: 'register',
    });
    expect(landingAfterSignIn(null, [{ allianceSlug: 'bordeaux' }, { allianceSlug: 'lyon' }])).toEqual({
      view: 'workspace',
      alliance: null,
      tab: 'register',
    });
  });

  it('shows the map to someone in no alliance', () => {
    expect(landingAfterSignIn(null, [])).toEqual({ view: 'map' });
  });
});
