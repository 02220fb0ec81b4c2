import type { GapMeasure } from './measures';
import type { Classification } from './classBreaks';

export type { AppRoute } from '../workspace/route';

/** The gap analysis view keeps its choices in the URL so that a link can be shared. */
export interface GapRoute {
  view: 'gap-analysis';
  alliance: string | null;
  run: string | null;
  subject: string | null;
  compare: string | null;
  measure: GapMeasure | null;
  classes: Classification | null;
  /**
   * The area whose detail is open, by its unit id, so that a link can point at one gap. Optional so that links
   * to the view as a whole need not name it; absent or null, no area is open.
   */
  area?: string | null;
  /**
   * A part of the page to bring into view once, for links from elsewhere: `road-network`, the road network section
   * (editors), from the map's "Reach from here". Optional; absent or null, the page opens at its top.
   */
  section?: GapSection | null;
}

export type GapSection = 'road-network';

const GAP_PREFIX = '#/gap-analysis';
const measures: readonly string[] = ['score', 'nearestDistanceM', 'nearestMinutes', 'countWithin', 'supplyPer10k'];

export function emptyGapRoute(alliance: string | null = null): GapRoute {
  return {
    view: 'gap-analysis',
    alliance,
    run: null,
    subject: null,
    compare: null,
    measure: null,
    classes: null,
    area: null,
  };
}

/** Whether a location hash is the gap analysis view's ("#/gap-analysis", "#/gap-analysis/<slug>?…"). */
export function isGapHash(hash: string): boolean {
  return hash === GAP_PREFIX || hash.startsWith(`${GAP_PREFIX}/`) || hash.startsWith(`${GAP_PREFIX}?`);
}

/**
 * "#/gap-analysis/bordeaux?run=<id>&subject=social_action&area=<unit id>" → the gap analysis of Bordeaux, that run
 * and subject, with that area's detail open.
 */
export function parseGapRoute(hash: string): GapRoute {
  const [path = '', search = ''] = hash.slice(GAP_PREFIX.length).split('?');
  const alliance = decodeURIComponent(path.replace(/^\//, '').split('/')[0] ?? '') || null;
  const params = new URLSearchParams(search);
  const measure = params.get('measure');
  const classes = params.get('classes');
  return {
    view: 'gap-analysis',
    alliance,
    run: params.get('run'),
    subject: params.get('subject'),
    compare: params.get('compare'),
    measure: measure && measures.includes(measure) ? (measure as GapMeasure) : null,
    classes: classes === 'quantile' || classes === 'equal' ? classes : null,
    area: params.get('area') || null,
    ...(params.get('section') === 'road-network' ? { section: 'road-network' as const } : {}),
  };
}

export function formatGapRoute(route: GapRoute): string {
  const params = new URLSearchParams();
  if (route.run) params.set('run', route.run);
  if (route.subject) params.set('subject', route.subject);
  if (route.compare) params.set('compare', route.compare);
  if (route.measure) params.set('measure', route.measure);
  if (route.classes) params.set('classes', route.classes);
  if (route.area) params.set('area', route.area);
  if (route.section) params.set('section', route.section);
  const query = params.toString();
  const path = route.alliance ? `${GAP_PREFIX}/${encodeURIComponent(route.alliance)}` : GAP_PREFIX;
  return query ? `${path}?${query}` : path;
}
