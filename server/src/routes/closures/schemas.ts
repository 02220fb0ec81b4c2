import { Type } from 'typebox';
import { Nullable } from '../commonSchemas.js';

const Day = (description: string) =>
  Type.String({
    pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$',
    description: `${description}, YYYY-MM-DD (region's calendar).`,
  });
const ExceptionalHours = Nullable(
  Type.String({
    minLength: 1,
    maxLength: 500,
    description:
      'Exceptional hours on those days, in OpenStreetMap `opening_hours` syntax ("Mo-Fr 10:00-12:00"); null: closed.',
  }),
);
const Note = Nullable(Type.String({ minLength: 1, maxLength: 500, description: 'Why, or what to do meanwhile.' }));

export const Closure = Type.Object({
  id: Type.String(),
  serviceId: Type.String(),
  startsOn: Day('The first day'),
  endsOn: Day('The last day (included)'),
  reopensOn: Day('The day after the last day'),
  openingHours: ExceptionalHours,
  note: Note,
  version: Type.Integer(),
});

export const ClosureList = Type.Object({ items: Type.Array(Closure) });

export const ClosureCreateBody = Type.Object({
  startsOn: Day('The first day'),
  endsOn: Day('The last day (included)'),
  openingHours: Type.Optional(ExceptionalHours),
  note: Type.Optional(Note),
});

export const ClosureUpdateBody = Type.Object({
  version: Type.Integer({ minimum: 1, description: 'The version the closure was read at.' }),
  startsOn: Type.Optional(Day('The first day')),
  endsOn: Type.Optional(Day('The last day (included)')),
  openingHours: Type.Optional(ExceptionalHours),
  note: Type.Optional(Note),
});
