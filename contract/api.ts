/**
 * The API's request and response shapes, as TypeScript types, for the front end: each route's TypeBox schemas
 * (next to the route, where Fastify validates with them) re-exported by name. Types only: nothing here reaches the
 * browser's JavaScript. Import it as `#contract/api.js`.
 */
export type * as actionPlanSchemas from '../server/src/routes/action-plan/schemas.js';
export type * as allianceSchemas from '../server/src/routes/alliances/schemas.js';
export type * as authSchemas from '../server/src/routes/auth/schemas.js';
export type * as closureSchemas from '../server/src/routes/closures/schemas.js';
export type * as charterSchemas from '../server/src/routes/charter/schemas.js';
export type * as directorySchemas from '../server/src/routes/directory/schemas.js';
export type * as freshnessSchemas from '../server/src/routes/freshness/schemas.js';
export type * as gapAnalysisSchemas from '../server/src/routes/gap-analyses/schemas.js';
export type * as geocodingSchemas from '../server/src/routes/geocoding/schemas.js';
export type * as historySchemas from '../server/src/routes/history/schemas.js';
export type * as locationSchemas from '../server/src/routes/locations/schemas.js';
export type * as memberSchemas from '../server/src/routes/members/schemas.js';
export type * as organizationSchemas from '../server/src/routes/organizations/schemas.js';
export type * as profileSchemas from '../server/src/routes/profile/schemas.js';
export type * as reportSchemas from '../server/src/routes/reports/schemas.js';
export type * as selfServiceSchemas from '../server/src/routes/self-service/schemas.js';
export type * as serviceSchemas from '../server/src/routes/services/schemas.js';
export type * as swotSchemas from '../server/src/routes/swot/schemas.js';
export type * as townSchemas from '../server/src/routes/towns/schemas.js';
export type * as translationSchemas from '../server/src/routes/translations/schemas.js';
export type * as travelTimeSchemas from '../server/src/routes/travel-times/schemas.js';
export type { Static } from 'typebox';
