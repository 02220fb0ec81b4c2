import type { DirectoryService } from '../api/directory';

/**
 * Whether the service is known at town level only: its point is its town's centre, so a distance to it says how
 * far the town is, not the door. A hidden address is rounded to about a kilometre and keeps its own distance.
 */
export function knownAtTownOnly(service: Pick<DirectoryService, 'precision' | 'addressHidden' | 'city'>): boolean {
  return service.precision === 'town' && !service.addressHidden && Boolean(service.city?.trim());
}

/** A distance to a town's centre, to the kilometre (at least one): a finer figure would claim to know the door. */
export function distanceToTown(meters: number): number {
  return Math.max(1000, Math.round(meters / 1000) * 1000);
}
