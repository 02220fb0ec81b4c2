import { Type } from 'typebox';
import { swotQuadrants } from '../../domain/alliance-documents/swotPrompts.js';
import { AllianceRef } from '../commonSchemas.js';

export const AllianceParams = Type.Object({ idOrSlug: AllianceRef });

const Quadrant = Type.Enum([...swotQuadrants]);
const ItemText = Type.String({ minLength: 1, maxLength: 2000 });
const Position = Type.Integer({ minimum: 0, maximum: 100_000, description: 'Order within the quadrant.' });

export const SwotItem = Type.Object({
  id: Type.String(),
  allianceId: Type.String(),
  quadrant: Quadrant,
  text: Type.String(),
  position: Type.Integer(),
  version: Type.Integer(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const SwotPrompts = Type.Object(
  {
    strengths: Type.Array(Type.String()),
    weaknesses: Type.Array(Type.String()),
    opportunities: Type.Array(Type.String()),
    threats: Type.Array(Type.String()),
  },
  { description: "The guide's questions for each quadrant, as help text." },
);

export const SwotList = Type.Object({ items: Type.Array(SwotItem), prompts: SwotPrompts });

export const SwotCreateBody = Type.Object(
  { quadrant: Quadrant, text: ItemText, position: Type.Optional(Position) },
  { additionalProperties: false },
);

export const SwotUpdateBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1, description: 'The version the item was read at.' }),
    quadrant: Type.Optional(Quadrant),
    text: Type.Optional(ItemText),
    position: Type.Optional(Position),
  },
  { additionalProperties: false },
);

export const SwotMoveBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1, description: 'The version the item was read at.' }),
    direction: Type.Enum(['up', 'down'], { description: 'One place towards the top (up) or the bottom (down).' }),
  },
  { additionalProperties: false },
);

export const SwotItems = Type.Object({
  items: Type.Array(SwotItem, { description: 'Every item of the alliance, as the list has them after the move.' }),
});
