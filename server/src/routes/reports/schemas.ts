import { Type } from 'typebox';
import { reportKinds, reportResolutions } from '../../domain/reports/reportRepository.js';
import { AllianceRef, LanguageCode, Nullable, Uuid } from '../commonSchemas.js';

export const AllianceParams = Type.Object({ idOrSlug: AllianceRef });

const ReportKind = Type.Enum([...reportKinds], {
  description: 'What is wrong: the service has closed, has moved, its hours are wrong, or something else.',
});
const Resolution = Type.Enum([...reportResolutions], {
  description: '"corrected": the record was put right; "dismissed": nothing was wrong, or nothing can be done.',
});

export const ReportCreateBody = Type.Object({
  kind: ReportKind,
  comment: Type.Optional(
    Type.String({
      maxLength: 500,
      description: 'What the person wants to add, in their words; no names or phone numbers. Blank counts as none.',
    }),
  ),
  language: Type.Optional(LanguageCode),
});

export const ReportReceived = Type.Object(
  { received: Type.Literal(true) },
  { description: 'Says nothing about other reports, nor whether this one joined an identical open one.' },
);

export const Report = Type.Object({
  id: Uuid,
  version: Type.Integer(),
  service: Type.Object({ id: Uuid, name: Type.String(), organizationName: Type.String() }),
  kind: ReportKind,
  comment: Nullable(Type.String()),
  language: Nullable(Type.String({ description: 'The finder language the report was sent from.' })),
  createdAt: Type.String({ format: 'date-time' }),
  resolvedAt: Nullable(Type.String({ format: 'date-time' })),
  resolvedBy: Nullable(Type.Object({ accountId: Uuid, displayName: Type.String() })),
  resolution: Nullable(Resolution),
});

export const ReportListQuery = Type.Object({
  state: Type.Optional(
    Type.Enum(['open', 'resolved'], {
      default: 'open',
      description: 'Open reports (oldest first), or resolved ones (latest first, the last 200).',
    }),
  ),
});

export const ReportList = Type.Object({
  items: Type.Array(Report),
  openCount: Type.Integer({ description: 'How many reports of the alliance are open, whatever `state` asked.' }),
});

export const ReportCount = Type.Object({ open: Type.Integer() });

export const ResolveBody = Type.Object({
  version: Type.Integer({ minimum: 1, description: 'The version the report was read at.' }),
  resolution: Resolution,
});
