import { Type } from 'typebox';
import { AllianceRef, Nullable, Uuid } from '../commonSchemas.js';

export const AllianceParams = Type.Object({ idOrSlug: AllianceRef });

export const Signature = Type.Object({
  id: Type.String(),
  signerName: Type.String(),
  organizationId: Nullable(Type.String()),
  organizationName: Nullable(Type.String()),
  contact: Nullable(Type.String({ description: 'Personal: shown to alliance members only.' })),
  signedOn: Type.String(),
  version: Type.Integer(),
  createdAt: Type.String(),
});

export const Charter = Type.Object({
  vision: Nullable(Type.String()),
  charter: Nullable(Type.String()),
  version: Type.Integer({ description: "The alliance's version, to send with PATCH /api/alliances/:slug." }),
  signatures: Type.Array(Signature),
  template: Type.String({
    description: 'The guide\'s sample charter, with "(Insert the visions/goals of the Alliance)" to replace.',
  }),
});

export const SignatureCreateBody = Type.Object(
  {
    signerName: Type.String({ minLength: 1, maxLength: 200 }),
    organizationId: Type.Optional(Nullable(Uuid)),
    contact: Type.Optional(
      Nullable(Type.String({ maxLength: 300, description: 'E-mail address or preferred form of communication.' })),
    ),
    signedOn: Type.Optional(Type.String({ format: 'date', description: 'YYYY-MM-DD; today when not sent.' })),
  },
  { additionalProperties: false },
);
