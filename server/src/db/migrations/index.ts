import type { Migration } from 'kysely/migration';
import * as initialSchema from './2026-11-23-01-initial-schema.js';
import * as gapAnalysis from './2026-11-23-02-gap-analysis.js';
import * as finderDetails from './2026-11-23-03-finder-details.js';
import * as allianceWorkspace from './2026-11-23-04-alliance-workspace.js';
import * as gridBoundary from './2026-11-23-05-grid-boundary.js';
import * as hiddenAddressPoints from './2026-12-02-01-hidden-address-points.js';
import * as invitationsOnAcceptance from './2026-12-02-01-invitations-on-acceptance.js';
import * as unitSetComplete from './2026-12-02-01-unit-set-complete.js';
import * as recordProvenance from './2026-12-02-02-record-provenance.js';
import * as importJobs from './2026-12-02-03-import-jobs.js';
import * as hsdsIndexes from './2026-12-02-04-hsds-indexes.js';
import * as serviceTally from './2026-12-03-01-service-tally.js';
import * as allianceHolidayState from './2026-12-03-02-alliance-holiday-state.js';
import * as unplacedLocations from './2026-12-03-12-unplaced-locations.js';
import * as populationSurfaces from './2026-12-03-13-population-surfaces.js';
import * as serviceCapacity from './2026-12-03-14-service-capacity.js';
import * as outerDemand from './2026-12-03-15-outer-demand.js';
import * as gapReasonCodes from './2026-12-03-16-gap-reason-codes.js';
import * as translationReview from './2026-12-03-17-translation-review.js';
import * as runMessageCodes from './2026-12-03-18-run-message-codes.js';
import * as populationSourceCodes from './2026-12-03-19-population-source-codes.js';
import * as keepingTheMapTrue from './2026-12-04-01-keeping-the-map-true.js';
import * as nearMeSearch from './2026-12-05-11-near-me-search.js';
import * as mapChanges from './2026-12-05-12-map-changes.js';
import * as serviceMap from './2026-12-06-03-service-map.js';
import * as roadNetworks from './2026-12-07-01-road-networks.js';
import * as roadEdgeEnds from './2026-12-07-02-road-edge-ends.js';
import * as travelTimePairs from './2026-12-07-03-travel-time-pairs.js';
import * as planActionPlace from './2026-12-08-02-plan-action-place.js';

/** Every migration, by name; names sort in the order they must run. */
export const migrations: Record<string, Migration> = {
  '2026-11-23-01-initial-schema': initialSchema,
  '2026-11-23-02-gap-analysis': gapAnalysis,
  '2026-11-23-03-finder-details': finderDetails,
  '2026-11-23-04-alliance-workspace': allianceWorkspace,
  '2026-11-23-05-grid-boundary': gridBoundary,
  '2026-12-02-01-hidden-address-points': hiddenAddressPoints,
  '2026-12-02-01-invitations-on-acceptance': invitationsOnAcceptance,
  '2026-12-02-01-unit-set-complete': unitSetComplete,
  '2026-12-02-02-record-provenance': recordProvenance,
  '2026-12-02-03-import-jobs': importJobs,
  '2026-12-02-04-hsds-indexes': hsdsIndexes,
  '2026-12-03-01-service-tally': serviceTally,
  '2026-12-03-02-alliance-holiday-state': allianceHolidayState,
  '2026-12-03-12-unplaced-locations': unplacedLocations,
  '2026-12-03-13-population-surfaces': populationSurfaces,
  '2026-12-03-14-service-capacity': serviceCapacity,
  '2026-12-03-15-outer-demand': outerDemand,
  '2026-12-03-16-gap-reason-codes': gapReasonCodes,
  '2026-12-03-17-translation-review': translationReview,
  '2026-12-03-18-run-message-codes': runMessageCodes,
  '2026-12-03-19-population-source-codes': populationSourceCodes,
  '2026-12-04-01-keeping-the-map-true': keepingTheMapTrue,
  '2026-12-05-11-near-me-search': nearMeSearch,
  '2026-12-05-12-map-changes': mapChanges,
  '2026-12-06-03-service-map': serviceMap,
  '2026-12-07-01-road-networks': roadNetworks,
  '2026-12-07-02-road-edge-ends': roadEdgeEnds,
  '2026-12-07-03-travel-time-pairs': travelTimePairs,
  '2026-12-08-02-plan-action-place': planActionPlace,
};
