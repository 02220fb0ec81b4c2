import type { GapAnalysisSummary } from '../api/types';

const services = (count: number) => `${count.toLocaleString('en')} ${count === 1 ? 'service' : 'services'}`;

/**
 * What a run says of where its services stand: how many it measured from their town's centre only, and how many
 * it left out as not placed yet. Null for a run made before places could be unplaced, which did not count them.
 */
export function placementNote(summary: Pick<GapAnalysisSummary, 'placement'>): string | null {
  const placement = summary.placement;
  if (!placement) return null;
  const { townLevelServiceLocations: town, unplacedServiceLocations: unplaced } = placement;
  const townPart =
    town === 0
      ? 'Every service placed is placed precisely.'
      : `${services(town)} ${town === 1 ? 'is' : 'are'} placed at town level only and measured from the town's centre.`;
  const unplacedPart =
    unplaced === 0
      ? 'No service was left out for want of a place.'
      : `${services(unplaced)} ${unplaced === 1 ? 'is' : 'are'} not placed yet and left out: place ${unplaced === 1 ? 'it' : 'them'} in the workspace's "Needs a place" list.`;
  return `${townPart} ${unplacedPart}`;
}
