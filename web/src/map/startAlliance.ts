/**
 * Which alliance the workspace map opens on. Every alliance at once means downloading every service of the
 * server, which grows with each region that joins; so the map opens on one alliance: the one last chosen on this
 * device, else the signed-in person's own, else the first of the list. "All alliances" stays in the picker, and is
 * remembered like any other choice.
 */

const STORAGE_KEY = 'passerelle.mapAlliance';
/** What is stored for "All alliances", as an alliance's slug is never empty. */
const ALL = '';

/** The choice remembered on this device: a slug, null for "All alliances", undefined when there is none. */
export function rememberedAlliance(): string | null | undefined {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored === null) return undefined;
    return stored === ALL ? null : stored;
  } catch {
    return undefined;
  }
}

/** Keeps the picker's choice for the next visit (null: "All alliances"). */
export function rememberAlliance(slug: string | null): void {
  try {
    localStorage.setItem(STORAGE_KEY, slug ?? ALL);
  } catch {
    // A browser that keeps nothing opens on the person's own alliance next time: nothing is lost.
  }
}

/**
 * The alliance to open: the remembered choice when it still exists, else the first alliance the person belongs to,
 * else the first one listed; null ("All alliances") only when it was the remembered choice or there is none.
 */
export function startAlliance({
  alliances,
  memberships,
  remembered,
}: {
  alliances: readonly { slug: string }[];
  memberships: readonly { allianceSlug: string }[];
  remembered: string | null | undefined;
}): string | null {
  const exists = (slug: string) => alliances.some((alliance) => alliance.slug === slug);
  if (remembered === null) return null;
  if (remembered !== undefined && exists(remembered)) return remembered;
  const own = memberships.find((membership) => exists(membership.allianceSlug));
  return own?.allianceSlug ?? alliances[0]?.slug ?? null;
}
