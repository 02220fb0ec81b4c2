import { Type } from 'typebox';
import { AllianceRef, CategoryId, LongText, Nullable, ShortText, Uuid } from '../commonSchemas.js';
import { Scenario } from '../gap-analyses/schemas.js';

export const AllianceParams = Type.Object({ idOrSlug: AllianceRef });

const ActionStatus = Type.Enum(['proposed', 'planned', 'in_progress', 'done', 'dropped']);
const IsoDate = Type.String({ format: 'date', description: 'A date as YYYY-MM-DD.' });
const OrganizationRef = Type.Object({ id: Type.String(), name: Type.String() });

export const Action = Type.Object({
  id: Type.String(),
  allianceId: Type.String(),
  number: Type.Integer({ description: "The action's number in the alliance's plan; never reused." }),
  title: Type.String(),
  problem: Nullable(Type.String()),
  description: Nullable(Type.String()),
  gap: Nullable(
    Type.Object({
      runId: Nullable(Type.String()),
      unitId: Type.String(),
      subject: Type.String(),
      label: Type.String({ description: 'The area in words ("Near Langon").' }),
    }),
  ),
  estimatedBudget: Nullable(Type.Number()),
  currency: Nullable(Type.String()),
  resources: Nullable(Type.String()),
  responsibleOrganization: Nullable(OrganizationRef),
  partnerOrganizations: Type.Array(OrganizationRef),
  indicator: Nullable(Type.String()),
  startsOn: Nullable(Type.String()),
  dueOn: Nullable(Type.String()),
  status: ActionStatus,
  published: Type.Boolean(),
  plannedPlace: Nullable(
    Type.Object(
      { lon: Type.Number(), lat: Type.Number() },
      { description: 'Where the service the action would open stands (WGS 84), for what-if scenarios.' },
    ),
  ),
  plannedCategory: Nullable(Type.String({ description: 'The category of the planned service.' })),
  plannedCapacity: Nullable(Type.Number({ description: 'Its capacity (S_j); none counts as 1.' })),
  version: Type.Integer(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

const actionFields = {
  problem: Type.Optional(
    Nullable(
      Type.String({
        maxLength: 10000,
        description: 'The local problem the action solves; taken from the linked gap when not sent.',
      }),
    ),
  ),
  description: Type.Optional(Nullable(LongText)),
  gapRunId: Type.Optional(Nullable(Uuid)),
  gapUnitId: Type.Optional(Nullable(Uuid)),
  gapSubject: Type.Optional(Nullable(Type.String({ pattern: '^[a-z_]{1,60}$' }))),
  estimatedBudget: Type.Optional(
    Nullable(Type.Number({ description: 'From 0 to 999,999,999,999, in the currency of the action.' })),
  ),
  currency: Type.Optional(Nullable(Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217, e.g. EUR.' }))),
  resources: Type.Optional(Nullable(LongText)),
  responsibleOrganizationId: Type.Optional(Nullable(Uuid)),
  partnerOrganizationIds: Type.Optional(Type.Array(Uuid, { maxItems: 100 })),
  indicator: Type.Optional(Nullable(LongText)),
  startsOn: Type.Optional(Nullable(IsoDate)),
  dueOn: Type.Optional(Nullable(IsoDate)),
  status: Type.Optional(ActionStatus),
  plannedPlace: Type.Optional(
    Nullable(
      Type.Object(
        {
          lon: Type.Number({ minimum: -180, maximum: 180, description: 'Longitude, WGS 84.' }),
          lat: Type.Number({ minimum: -90, maximum: 90, description: 'Latitude, WGS 84.' }),
        },
        {
          additionalProperties: false,
          description:
            'Where the service the action would open stands; within 50 km of the region (400 ' +
            '"action.planned-place-far" otherwise, usually longitude and latitude swapped).',
        },
      ),
    ),
  ),
  plannedCategory: Type.Optional(Nullable(CategoryId)),
  plannedCapacity: Type.Optional(
    Nullable(Type.Number({ exclusiveMinimum: 0, maximum: 1e9, description: 'S_j in a what-if; none counts as 1.' })),
  ),
  published: Type.Optional(
    Type.Boolean({
      description:
        'Shown on the public profile. Changing it is publishing, which needs the coordinator (manage); an editor ' +
        'may send it unchanged (false for a new action).',
    }),
  ),
};

export const ActionCreateBody = Type.Object({ title: ShortText, ...actionFields }, { additionalProperties: false });

export const ActionUpdateBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1, description: 'The version the action was read at.' }),
    title: Type.Optional(ShortText),
    ...actionFields,
  },
  { additionalProperties: false },
);

export const Comment = Type.Object({
  id: Type.String(),
  entityType: Type.String(),
  entityId: Type.String(),
  body: Type.String(),
  author: Nullable(Type.Object({ accountId: Type.String(), displayName: Type.String() })),
  createdAt: Type.String(),
});

export const CommentCreateBody = Type.Object(
  { body: Type.String({ minLength: 1, maxLength: 5000 }) },
  { additionalProperties: false },
);

export const ActionEffect = Type.Object({
  scenario: Scenario,
  run: Type.Object({
    id: Type.String(),
    travel: Type.String({ description: 'How people travel in the run: walk, bike, drive (or straight).' }),
    startedAt: Type.String(),
  }),
});
