import { Type } from 'typebox';
import { loggedEntityTypes } from '../../domain/history/changeLog.js';
import { AllianceRef, Nullable, Uuid } from '../commonSchemas.js';

const ChangeId = Type.String({ pattern: '^[0-9]{1,18}$', description: 'A change id, as the history gives it.' });

export const Change = Type.Object({
  id: ChangeId,
  changeSet: Type.String({ description: 'Changes made together (one request) share it.' }),
  entityType: Type.String(),
  entityId: Type.String(),
  entityLabel: Nullable(Type.String({ description: "The record's name or title." })),
  action: Type.Enum(['create', 'update', 'delete']),
  changedAt: Type.String(),
  author: Nullable(Type.Object({ accountId: Type.String(), displayName: Type.String() })),
  authorLabel: Nullable(
    Type.String({
      description: 'An author that is not an account: the contact of an organisation, through its self-service link.',
    }),
  ),
  changedFields: Type.Array(Type.String(), {
    description: 'The fields whose values differ between old and new (ignoring id, version and timestamps).',
  }),
  old: Nullable(Type.Record(Type.String(), Type.Unknown())),
  new: Nullable(Type.Record(Type.String(), Type.Unknown())),
});

export const ChangeList = Type.Object({ items: Type.Array(Change) });

export const HistoryQuery = Type.Object({
  before: Type.Optional(ChangeId),
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
});

export const AllianceParams = Type.Object({ idOrSlug: AllianceRef });

export const RecordParams = Type.Object({
  entityType: Type.Enum([...loggedEntityTypes]),
  entityId: Uuid,
});

export const ChangeParams = Type.Object({ changeId: ChangeId });

export const RestoreResult = Type.Object({
  entityType: Type.String(),
  entityId: Type.String(),
  version: Nullable(Type.Integer({ description: 'The version after the restore; null when the record is gone.' })),
});
