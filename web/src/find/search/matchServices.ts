import { findNeed, serviceMeetsNeed } from '#contract/taxonomy/needs.js';
import type { DirectoryService } from '../api/directory';
import { distanceMeters, type LatLon } from './geo';
import { openingStatus, type CoveredPeriod, type OpeningStatus } from './openingStatus';

/** What the newcomer asked for: one need (or everything) and the filters. */
export interface SearchCriteria {
  need: string | null;
  openNow: boolean;
  free: boolean;
  /** A language the staff must speak. */
  speaks: string | null;
  /** A group the service must be meant for (women, young people, no papers needed…). */
  audience: string | null;
}

export interface ServiceMatch {
  service: DirectoryService;
  /** null when no place is chosen. */
  distance: number | null;
  status: OpeningStatus;
}

const primaryLanguage = (code: string) => code.toLowerCase().split('-')[0]!;

/**
 * The services that meet the criteria, nearest first when a place is known, else by name. Runs on the phone
 * over the region's directory, so neither the place nor the need is ever sent anywhere.
 */
export function matchServices(
  services: readonly DirectoryService[],
  criteria: SearchCriteria,
  period: CoveredPeriod,
  origin: LatLon | null,
  now: number,
  collator: Intl.Collator,
): ServiceMatch[] {
  const need = criteria.need ? findNeed(criteria.need) : undefined;
  const speaks = criteria.speaks ? primaryLanguage(criteria.speaks) : null;
  const matches: ServiceMatch[] = [];
  for (const service of services) {
    if (need && !serviceMeetsNeed(need, service)) continue;
    if (criteria.free && service.free !== true) continue;
    if (speaks && !service.languages.some((code) => primaryLanguage(code) === speaks)) continue;
    if (criteria.audience && !service.audiences.includes(criteria.audience)) continue;
    const status = openingStatus(service, period, now);
    if (criteria.openNow && status.state !== 'open') continue;
    matches.push({ service, distance: origin ? distanceMeters(origin, service) : null, status });
  }
  return matches.sort(
    (a, b) =>
      (a.distance ?? 0) - (b.distance ?? 0) ||
      collator.compare(a.service.name, b.service.name) ||
      a.service.id.localeCompare(b.service.id),
  );
}

/** The languages spoken somewhere in the directory, for the "language spoken" filter. */
export function spokenLanguages(services: readonly DirectoryService[]): string[] {
  return [...new Set(services.flatMap((service) => service.languages.map(primaryLanguage)))].sort();
}
