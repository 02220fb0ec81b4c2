import { Type } from 'typebox';
import { Action } from '../action-plan/schemas.js';
import { AllianceRef, Nullable, Uuid } from '../commonSchemas.js';

export const AllianceParams = Type.Object({ idOrSlug: AllianceRef });
export const RunParams = Type.Object({ id: Uuid });

/** Organisations and signatories by name only: the profile never carries a person's contact details. */
export const Profile = Type.Object({
  alliance: Type.Object({
    slug: Type.String(),
    name: Type.String(),
    country: Type.String(),
    description: Nullable(Type.String()),
    vision: Nullable(Type.String()),
    charter: Nullable(Type.String()),
  }),
  published: Type.Boolean(),
  members: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      sector: Nullable(Type.String()),
      website: Nullable(Type.String()),
    }),
  ),
  signatories: Type.Array(
    Type.Object({ signerName: Type.String(), organizationName: Nullable(Type.String()), signedOn: Type.String() }),
  ),
  actions: Type.Array(Action),
  research: Type.Array(
    Type.Object({
      runId: Type.String(),
      createdAt: Type.String(),
      subject: Type.String({ description: 'What the analysis measured.' }),
      summary: Type.String({ description: 'Its result in one sentence.' }),
    }),
  ),
  bbox: Nullable(Type.Array(Type.Number(), { minItems: 4, maxItems: 4 })),
});

export const RunPublishBody = Type.Object(
  { published: Type.Boolean({ description: "Whether the run is shown on the alliance's public profile." }) },
  { additionalProperties: false },
);

export const RunPublished = Type.Object({ id: Type.String(), published: Type.Boolean() });
