import { Type } from 'typebox';
import { AllianceRef, Nullable, Uuid } from '../commonSchemas.js';

export const AllianceParams = Type.Object({ idOrSlug: AllianceRef });
export const SurfaceParams = Type.Object({ id: Uuid });

const Format = Type.Enum(['geotiff', 'kontur_h3', 'insee_grid', 'census_areas'], {
  description: 'GeoTIFF raster (GHSL, WorldPop), Kontur H3 population, INSEE 200 m grid, or census areas.',
});

export const PopulationPreview = Type.Object({
  uploadId: Uuid,
  fileName: Type.String(),
  format: Format,
  crs: Type.String({ description: 'The coordinate system of the file: "EPSG:4326", "ESRI:54009"…' }),
  cellSizeM: Nullable(Type.Number()),
  numericFields: Type.Array(Type.String(), { description: 'Census areas: the fields a population may be read from.' }),
  populationField: Nullable(Type.String()),
  cellsRead: Type.Integer({ description: 'Cells or areas read within the box of the region and its margin.' }),
  cellsFound: Type.Integer({ description: 'Of them, those with people.' }),
  population: Nullable(Type.Number({ description: 'Their population; null until a field is chosen.' })),
  marginM: Type.Number({ description: 'How far beyond the boundary people are kept.' }),
});

export const ImportBody = Type.Object(
  {
    uploadId: Uuid,
    populationField: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    sourceName: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
  },
  { additionalProperties: false },
);

export const Surface = Type.Object({
  id: Uuid,
  allianceId: Uuid,
  sourceName: Type.String(),
  format: Format,
  crs: Type.String(),
  cellSizeM: Nullable(Type.Number()),
  populationField: Nullable(Type.String()),
  status: Type.Enum(['importing', 'active', 'replaced', 'removed', 'failed']),
  progress: Type.Number({ minimum: 0, maximum: 1 }),
  stage: Nullable(Type.String({ description: 'What the import is doing, in English.' })),
  stageCode: Nullable(Type.String({ description: 'The stage as a code (waiting, reading-file, done).' })),
  stageParams: Nullable(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]))),
  error: Nullable(Type.String({ description: 'Why the import failed, in English.' })),
  errorCode: Nullable(Type.String({ description: 'Why the import failed, as an error code (null before codes).' })),
  errorParams: Nullable(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]))),
  cellsRead: Type.Integer(),
  cellsKept: Type.Integer({ description: 'Cells or areas kept inside the boundary and its margin.' }),
  totalPopulation: Type.Number(),
  marginM: Type.Number(),
  startedAt: Type.String({ format: 'date-time' }),
  importedAt: Nullable(Type.String({ format: 'date-time' })),
  importedBy: Nullable(Type.String()),
});

export const AllianceSurfaces = Type.Object({
  active: Nullable(Surface),
  importing: Nullable(Surface),
  lastFailed: Nullable(Surface),
});
