import { Type } from 'typebox';
import { AllianceRef, LongText, Nullable, Uuid, WebAddress } from '../commonSchemas.js';

/** A value or null as a list of types, so that the validator's coercion cannot turn a null into "" (see services). */
function stringOrNull(schema: Record<string, unknown>) {
  return Type.Unsafe<string | null>({ ...schema, type: ['string', 'null'] });
}

const Day = Type.String({ format: 'date', description: 'A calendar day, YYYY-MM-DD, in the region.' });

export const OrganizationParams = Type.Object({ id: Uuid });
export const ServiceParams = Type.Object({ id: Uuid });
export const ProposalParams = Type.Object({ id: Uuid });
export const AllianceParams = Type.Object({ idOrSlug: AllianceRef });

export const SendLinkBody = Type.Object({
  email: Type.Optional(
    Type.String({
      format: 'email',
      maxLength: 300,
      description: "Where to send the link; by default the organisation's public e-mail, else its contact's.",
    }),
  ),
});

export const SentLink = Type.Object({
  id: Uuid,
  email: Nullable(Type.String()),
  sentBy: Nullable(Type.String({ description: 'The editor who sent it; null when the monthly reminder did.' })),
  createdAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.String({ format: 'date-time' }),
  openedAt: Nullable(Type.String({ format: 'date-time' })),
  expired: Type.Boolean({ description: 'Not opened, and too late to be.' }),
});

export const SentLinkList = Type.Object({ items: Type.Array(SentLink) });

export const OpenBody = Type.Object({
  token: Type.String({ minLength: 1, maxLength: 200, description: 'The token at the end of the mailed link.' }),
});

export const SelfServiceService = Type.Object({
  id: Uuid,
  name: Type.String(),
  description: Nullable(Type.String()),
  openingHours: Nullable(Type.String({ description: 'OpenStreetMap opening_hours syntax.' })),
  phone: Nullable(Type.String()),
  email: Nullable(Type.String()),
  url: Nullable(Type.String()),
  feesDescription: Nullable(Type.String()),
  status: Type.String(),
  verifiedAt: Nullable(Type.String({ format: 'date-time', description: 'When it was last checked.' })),
  closures: Type.Array(
    Type.Object({ id: Uuid, startsOn: Type.String(), endsOn: Type.String(), note: Nullable(Type.String()) }),
    { description: 'Closures that have not ended yet.' },
  ),
  waitingChanges: Type.Integer({ description: 'Changes sent through a link that wait for an editor.' }),
});

export const SelfServicePage = Type.Object({
  organization: Type.Object({ name: Type.String() }),
  approval: Type.Boolean({ description: "Whether changes wait for an editor's approval." }),
  sessionExpiresAt: Type.String({ format: 'date-time' }),
  csrfToken: Type.String({ description: 'Send it back as `x-self-service-token` with every change.' }),
  services: Type.Array(SelfServiceService),
});

export const ChangeOutcome = Type.Object({
  outcome: Type.Enum(['applied', 'proposed'], {
    description: "applied: made at once; proposed: waits for an editor's approval.",
  }),
});

export const ClosureBody = Type.Object({
  startsOn: Day,
  endsOn: Day,
  note: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
});

export const SelfServiceEditBody = Type.Object({
  description: Type.Optional(Nullable(LongText)),
  openingHours: Type.Optional(stringOrNull({ minLength: 1, maxLength: 1000, description: 'OpenStreetMap syntax.' })),
  phone: Type.Optional(stringOrNull({ minLength: 1, maxLength: 50 })),
  email: Type.Optional(Nullable(Type.String({ format: 'email', maxLength: 300 }))),
  url: Type.Optional(Nullable(WebAddress)),
  feesDescription: Type.Optional(Nullable(LongText)),
});

export const Proposal = Type.Object({
  id: Uuid,
  organizationId: Uuid,
  organizationName: Type.String(),
  serviceId: Uuid,
  serviceName: Type.String(),
  kind: Type.Enum(['verify', 'edit', 'closure']),
  changes: Type.Record(Type.String(), Type.Unknown(), {
    description: 'edit: the fields and their new values; closure: startsOn, endsOn, note; verify: nothing.',
  }),
  createdAt: Type.String({ format: 'date-time' }),
});

export const ProposalList = Type.Object({ items: Type.Array(Proposal) });
