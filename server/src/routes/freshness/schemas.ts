import { Type } from 'typebox';
import { Nullable, Uuid } from '../commonSchemas.js';
import { UpdateCycle, VerifiedVia } from '../services/schemas.js';

export const VerifyBody = Type.Object(
  { version: Type.Integer({ minimum: 1, description: 'The version the service was read at.' }) },
  { additionalProperties: false },
);

export const ToCheckQuery = Type.Object({
  organization: Type.Optional(Type.String({ format: 'uuid', description: 'Only the services of this organisation.' })),
  notCheckedForMonths: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 120,
      description: 'Only those not checked within this many months as well (never checked included).',
    }),
  ),
});

export const ServiceToCheck = Type.Object({
  id: Uuid,
  name: Type.String(),
  version: Type.Integer({ description: 'Send it back to confirm the service (POST /api/services/{id}/verify).' }),
  organization: Type.Object({ id: Uuid, name: Type.String() }),
  verifiedAt: Nullable(Type.String({ description: 'The last check (ISO 8601); null: never checked.' })),
  verifiedVia: Nullable(VerifiedVia),
  checkedOn: Nullable(Type.String({ format: 'date', description: "The last check on the region's calendar." })),
  dueOn: Nullable(Type.String({ format: 'date', description: 'The last day the check held; null: never checked.' })),
  monthsSinceCheck: Nullable(Type.Integer({ description: 'Whole months since the last check; null: never checked.' })),
  effectiveCycleMonths: UpdateCycle,
});

export const ServicesToCheck = Type.Object({ items: Type.Array(ServiceToCheck) });
