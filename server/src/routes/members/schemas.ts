import { Type } from 'typebox';
import { AllianceDetail } from '../alliances/schemas.js';
import { AllianceRoleSchema, WorkspaceLanguageSchema } from '../auth/schemas.js';
import { AllianceRef, LanguageCode, LongText, Nullable, Uuid } from '../commonSchemas.js';

export const AllianceInPathParams = Type.Object({ idOrSlug: AllianceRef });

export const MemberParams = Type.Object({
  idOrSlug: AllianceRef,
  accountId: Uuid,
});

export const Member = Type.Object({
  accountId: Type.String(),
  email: Type.String(),
  displayName: Type.String(),
  role: AllianceRoleSchema,
  organizationId: Nullable(Type.String()),
  organizationName: Nullable(Type.String()),
  joinedAt: Type.String(),
});

export const PendingInvitation = Type.Object({
  id: Type.String({ description: 'Names the invitation to withdraw it; not the link.' }),
  email: Type.String(),
  role: AllianceRoleSchema,
  organizationId: Nullable(Type.String()),
  organizationName: Nullable(Type.String()),
  invitedBy: Nullable(Type.String({ description: 'The display name of who sent it.' })),
  createdAt: Type.String(),
  expiresAt: Type.String(),
  expired: Type.Boolean(),
});

export const MemberList = Type.Object({
  items: Type.Array(Member, { description: 'The people who belong to the alliance (who accepted an invitation).' }),
  invitations: Type.Optional(
    Type.Array(PendingInvitation, {
      description:
        'Invitations not accepted yet, newest first; sent to coordinators only. They grant nothing until accepted.',
    }),
  ),
});

export const InvitationParams = Type.Object({
  idOrSlug: AllianceRef,
  invitationId: Uuid,
});

export const InvitationBody = Type.Object({
  email: Type.String({ minLength: 1, maxLength: 254 }),
  role: AllianceRoleSchema,
  organizationId: Type.Optional(Nullable(Uuid)),
  language: Type.Optional(WorkspaceLanguageSchema),
});

export const InvitationCreated = Type.Object({
  link: Type.String({ description: 'The address to open, also mailed to the person invited.' }),
  expiresAt: Type.String(),
});

export const MemberPatchBody = Type.Object(
  { role: Type.Optional(AllianceRoleSchema), organizationId: Type.Optional(Nullable(Uuid)) },
  { minProperties: 1 },
);

const Boundary = Type.Unknown({
  description: 'A GeoJSON Polygon or MultiPolygon in longitude/latitude (WGS84); self-crossing rings are repaired.',
});
const Languages = Type.Array(LanguageCode, { minItems: 1, maxItems: 30, uniqueItems: true });
const Timezone = Type.String({ minLength: 1, maxLength: 64, description: 'An IANA time zone, e.g. "Europe/Paris".' });
const AllianceName = Type.String({ minLength: 1, maxLength: 200 });
const HolidayState = Nullable(
  Type.String({
    minLength: 1,
    maxLength: 60,
    description:
      'Where public holidays differ within the country (Germany, Great Britain, Spain, Switzerland, Alsace-Moselle and overseas France): the state or region whose holidays `PH` means, as the opening_hours library names it (`Bayern`, `Scotland`, `Moselle`). null elsewhere.',
  }),
);

export const AllianceCreateBody = Type.Object({
  slug: Type.String({
    minLength: 2,
    maxLength: 60,
    pattern: '^[a-z0-9]+(-[a-z0-9]+)*$',
    description: 'Lower-case letters, digits and single hyphens; used in addresses (e.g. "bordeaux").',
  }),
  name: AllianceName,
  country: Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2 code, e.g. "FR".' }),
  timezone: Timezone,
  languages: Languages,
  holidayState: Type.Optional(HolidayState),
  description: Type.Optional(Nullable(LongText)),
  boundary: Type.Optional(Boundary),
});

export const AlliancePatchBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1, description: 'The version the settings were read at.' }),
    name: Type.Optional(AllianceName),
    description: Type.Optional(Nullable(LongText)),
    vision: Type.Optional(Nullable(LongText)),
    charter: Type.Optional(Nullable(Type.String({ maxLength: 50_000 }))),
    languages: Type.Optional(Languages),
    timezone: Type.Optional(Timezone),
    holidayState: Type.Optional(HolidayState),
    boundary: Type.Optional(Boundary),
    profilePublished: Type.Optional(Type.Boolean()),
    updateCycleMonths: Type.Optional(
      Type.Union([Type.Literal(1), Type.Literal(3), Type.Literal(6), Type.Literal(12)], {
        description: 'Months between two checks of a service that does not set its own cycle.',
      }),
    ),
    selfServiceApproval: Type.Optional(
      Type.Boolean({ description: "Whether an organisation's changes through its link wait for an editor." }),
    ),
  },
  { minProperties: 2 },
);

export const AllianceSettings = Type.Intersect([
  AllianceDetail,
  Type.Object({
    charter: Nullable(Type.String()),
    profilePublished: Type.Boolean(),
    version: Type.Integer(),
  }),
]);

export const BoundaryFileRead = Type.Object({
  boundary: Type.Object({
    type: Type.Literal('MultiPolygon'),
    coordinates: Type.Array(Type.Unknown(), { description: 'Polygons of rings of [longitude, latitude] points.' }),
  }),
  format: Type.Enum(['geojson', 'shapefile', 'geopackage']),
  coordinateSystem: Type.String({ description: 'The system the file was in, e.g. "RGF93 / Lambert-93 (EPSG:2154)".' }),
});
