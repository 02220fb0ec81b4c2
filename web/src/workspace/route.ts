import { formatGapRoute, isGapHash, parseGapRoute, type GapRoute } from '../gap-analysis/gapRoute';

/** The workspace tabs of an alliance, in the order the navigation shows them. */
export const workspaceTabs = [
  'register',
  'places',
  'to-check',
  'actions',
  'swot',
  'charter',
  'import',
  'history',
  'reports',
  'members',
  'settings',
] as const;
export type WorkspaceTab = (typeof workspaceTabs)[number];

/**
 * Which page the app shows. It lives in the URL's hash so that every page can be shared as a link, and so that
 * the links the server sends (`/map#/invitation/<token>`, `/map#/password-reset/<token>`) open the right page.
 */
export type AppRoute =
  /** `place`: a service's place whose pin form opens on the map (from the list of places that need a place). */
  /** `service`: a service whose detail opens on the map (from the lists of reports and of services to check). */
  | { view: 'map'; place?: { service: string; location: string }; service?: string }
  | GapRoute
  /** `next`: the hash to go back to once signed in, e.g. the workspace page that asked for it. */
  | { view: 'sign-in'; next: string | null }
  /** Without a token: ask for a link by e-mail; with one: choose a new password. */
  | { view: 'password-reset'; token: string | null }
  | { view: 'invitation'; token: string }
  /** An organisation's own services, from its mailed link; without a token: the session that link opened. */
  | { view: 'self-service'; token: string | null }
  /** Anyone signed in may set up an alliance, and becomes its coordinator. */
  | { view: 'new-alliance' }
  /** The signed-in person's own name, password, other devices and alliances. */
  | { view: 'account' }
  /** `alliance` null: the person's alliances, to choose one. */
  | { view: 'workspace'; alliance: string | null; tab: WorkspaceTab }
  | { view: 'profile'; alliance: string };

function isWorkspaceTab(value: string | undefined): value is WorkspaceTab {
  return (workspaceTabs as readonly string[]).includes(value ?? '');
}

function decodeSegment(segment: string | undefined): string {
  if (!segment) return '';
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Only a hash of this app may be the place to go back to: never another site, never a script URL. */
function safeNext(next: string | null): string | null {
  return next && next.startsWith('#/') && !next.startsWith('#/sign-in') ? next : null;
}

/**
 * Reads a location hash: "#/alliance/bordeaux/history" → the Bordeaux workspace's history tab. An unknown
 * hash shows the map, an unknown tab the register, as a link that is out of date should still lead somewhere.
 */
export function parseRoute(hash: string): AppRoute {
  if (isGapHash(hash)) return parseGapRoute(hash);
  const [path = '', search = ''] = hash.replace(/^#/, '').split('?');
  const [first = '', ...rest] = path.split('/').filter((segment) => segment !== '');
  const segments = rest.map(decodeSegment);
  switch (first) {
    case 'sign-in':
      return { view: 'sign-in', next: safeNext(new URLSearchParams(search).get('next')) };
    case 'password-reset':
      return { view: 'password-reset', token: segments[0] || null };
    case 'invitation':
      return segments[0] ? { view: 'invitation', token: segments[0] } : { view: 'map' };
    case 'self-service':
      return { view: 'self-service', token: segments[0] || null };
    case 'new-alliance':
      return { view: 'new-alliance' };
    case 'account':
      return { view: 'account' };
    case 'alliance':
      return {
        view: 'workspace',
        alliance: segments[0] || null,
        tab: isWorkspaceTab(segments[1]) ? segments[1] : 'register',
      };
    case 'profile':
      return segments[0] ? { view: 'profile', alliance: segments[0] } : { view: 'map' };
    case 'service':
      return segments[0] ? { view: 'map', service: segments[0] } : { view: 'map' };
    case 'place':
      return segments[0] && segments[1]
        ? { view: 'map', place: { service: segments[0], location: segments[1] } }
        : { view: 'map' };
    default:
      return { view: 'map' };
  }
}

export function formatRoute(route: AppRoute): string {
  switch (route.view) {
    case 'map':
      if (route.place) {
        return `#/place/${encodeURIComponent(route.place.service)}/${encodeURIComponent(route.place.location)}`;
      }
      return route.service ? `#/service/${encodeURIComponent(route.service)}` : '#/';
    case 'gap-analysis':
      return formatGapRoute(route);
    case 'sign-in': {
      const next = safeNext(route.next);
      return next ? `#/sign-in?${new URLSearchParams({ next })}` : '#/sign-in';
    }
    case 'password-reset':
      return route.token ? `#/password-reset/${encodeURIComponent(route.token)}` : '#/password-reset';
    case 'invitation':
      return `#/invitation/${encodeURIComponent(route.token)}`;
    case 'self-service':
      return route.token ? `#/self-service/${encodeURIComponent(route.token)}` : '#/self-service';
    case 'new-alliance':
      return '#/new-alliance';
    case 'account':
      return '#/account';
    case 'workspace':
      return route.alliance ? `#/alliance/${encodeURIComponent(route.alliance)}/${route.tab}` : '#/alliance';
    case 'profile':
      return `#/profile/${encodeURIComponent(route.alliance)}`;
  }
}

/** The link to an alliance's workspace tab. */
export function workspaceHref(alliance: string | null, tab: WorkspaceTab = 'register'): string {
  return formatRoute({ view: 'workspace', alliance, tab });
}

/** The sign-in page, coming back to `next` (a hash of this app) afterwards. */
export function signInHref(next: string | null = null): string {
  return formatRoute({ view: 'sign-in', next });
}

/**
 * Where a person lands once signed in: back where they came from, else the workspace of their alliance (the
 * list of their alliances when they have several), else the map.
 */
export function landingAfterSignIn(next: string | null, memberships: readonly { allianceSlug: string }[]): AppRoute {
  const back = safeNext(next);
  if (back) return parseRoute(back);
  if (memberships.length === 0) return { view: 'map' };
  return {
    view: 'workspace',
    alliance: memberships.length === 1 ? (memberships[0]?.allianceSlug ?? null) : null,
    tab: 'register',
  };
}
