import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import multipart from '@fastify/multipart';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { CategoryId } from '../../db/schema.js';
import { resolveAllianceId } from '../../domain/alliances/allianceRepository.js';
import { createImportedUnitSet, ImportProblemsError, listUnitSets } from '../../domain/gap-analysis/analysisUnits.js';
import { slicingFor } from '../../domain/gap-analysis/batchSizer.js';
import {
  allResults,
  createRun,
  executeRun,
  findRun,
  freshnessOption,
  type GapAnalysisRun,
  listResults,
  listRuns,
  measureColumns,
  unitBelongsToSet,
  unitGeometries,
  unitGeometry,
  unitResults,
} from '../../domain/gap-analysis/gapAnalysisRepository.js';
import {
  defaultThresholdMinutes,
  type GapAnalysisParameters,
  subjectsOf,
} from '../../domain/gap-analysis/gapParameters.js';
import { activeRoadNetwork } from '../../domain/gap-analysis/travelMeasures.js';
import { createScenario, listScenarios, scenarioProblem } from '../../domain/gap-analysis/scenarios.js';
import { scenarioLocationsNear } from '../../domain/gap-analysis/scenarioLocations.js';
import { travelMatrixOf } from '../../domain/gap-analysis/travelMatrix.js';
import { ensureDemandPoints } from '../../domain/gap-analysis/demandPoints.js';
import { h3GridProblem } from '../../domain/gap-analysis/h3Grid.js';
import { maxImportBytes, nothingImported, validateImportedAreas } from '../../domain/gap-analysis/importedAreas.js';
import { changeAs } from '../../domain/history/actingAs.js';
import { nearestServicesOfUnit } from '../../domain/gap-analysis/measures.js';
import { resultsCsv, resultsFeatureCollection } from '../../domain/gap-analysis/resultExports.js';
import { categoryIds } from '#contract/taxonomy/categories.js';
import { ErrorResponse, errorResponses, Nullable, writeErrorResponses } from '../commonSchemas.js';
import { dropRestOfBody } from '../../plugins/errors.js';
import { GeoFileUploadError, geoFileUpload } from '../geoFileUpload.js';
import { badRequest, conflict, notFound } from '../notFound.js';
import { allianceInPath, allianceOfRecordInPath, changeAuthor } from '../workspaceRouting.js';
import {
  AllianceParams,
  ExportQuery,
  ImportErrorResponse,
  MeasureColumns,
  MeasureQuery,
  NearestQuery,
  NearestServices,
  ResultFeatureCollection,
  Scenario,
  ScenarioBody,
  ScenarioLocations,
  ScenarioLocationsQuery,
  ResultPage,
  ResultsQuery,
  Run,
  RunAccepted,
  RunCreateBody,
  RunParams,
  RunTileParams,
  RunUnitParams,
  UnitSet,
  UnitSetCreateBody,
  UnitSetCreated,
  UnitFeature,
} from './schemas.js';
import { said } from '../../domain/messages/userError.js';
import { createHash } from 'node:crypto';
import { unitTile } from '../../domain/gap-analysis/unitTiles.js';
import { MAX_TILE_ZOOM, tileInRange } from '../../domain/services/serviceTiles.js';
import { etagMatches } from '../../domain/services/mapVersion.js';
import { codedFrom } from '../../domain/messages/userError.js';
import { sendError } from '../../plugins/errors.js';

interface AreasToImport {
  name: string;
  nameProperty: string;
  populationProperty: string;
  areas: unknown;
}

const readErrorResponses = { ...errorResponses, 409: ErrorResponse };

const notModified = { description: 'Not modified: the ETag sent in If-None-Match is still current.', type: 'null' };
const mvtType = 'application/vnd.mapbox-vector-tile';
const mvtResponse = {
  description: 'A Mapbox Vector Tile (empty when no area meets the tile).',
  content: { [mvtType]: { schema: { type: 'string', format: 'binary' } } },
};

/** Results exist only for a finished run; otherwise the answer says what is going on. */
function unfinished(reply: FastifyReply, run: GapAnalysisRun) {
  if (run.status === 'running') {
    return conflict(reply, said('gap.running', { percent: Math.round(run.progress * 100), id: run.id }));
  }
  return conflict(reply, said('gap.failed', { reason: run.error ?? 'no reason was recorded.' }));
}

/** Gap analyses: analysis units, runs computed in the background, results as JSON, GeoJSON and CSV. */
export const gapAnalysisRoutes: FastifyPluginAsyncTypebox<{ dataDir: string }> = async (app, { dataDir }) => {
  // The route-level body limit of an import is larger than the application's; say which limit applies.
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      await dropRestOfBody(request.raw);
      return sendError(reply, 413, said('gap.areas-too-large', { limitMiB: maxImportBytes / 1024 / 1024 }));
    }
    throw error;
  });

  await app.register(multipart, { limits: { fileSize: maxImportBytes, files: 1, fields: 10, fieldSize: 1000 } });
  const alliance = allianceInPath(app);
  const runAlliance = allianceOfRecordInPath(
    async (id) => (await findRun(app.db, id))?.allianceId,
    (id) => said('not-found.gap-analysis', { id }),
  );

  async function allianceOr404(reply: FastifyReply, idOrSlug: string): Promise<string | undefined> {
    const allianceId = await resolveAllianceId(app.db, idOrSlug);
    if (!allianceId) await notFound(reply, said('not-found.alliance', { alliance: idOrSlug }));
    return allianceId;
  }

  async function runOr404(reply: FastifyReply, id: string): Promise<GapAnalysisRun | undefined> {
    const run = await findRun(app.db, id);
    if (!run) await notFound(reply, said('not-found.gap-analysis', { id }));
    return run;
  }

  function checkSubject(reply: FastifyReply, run: GapAnalysisRun, subject: string | undefined) {
    if (subject === undefined) return true;
    const subjects = subjectsOf(run.parameters).map((item) => item.id);
    if (subjects.includes(subject)) return true;
    void badRequest(reply, said('gap.subject-not-measured', { subject, measured: subjects.join(', ') }));
    return false;
  }

  /** Checks areas and stores them as one set, all or nothing; a 400 lists every problem with its row. */
  async function importAreas(
    request: FastifyRequest,
    reply: FastifyReply,
    allianceId: string,
    { name, nameProperty, populationProperty, areas }: AreasToImport,
  ) {
    const validated = validateImportedAreas(areas, { nameProperty, populationProperty });
    if (!validated.ok) {
      return reply
        .code(400)
        .send({ statusCode: 400, error: 'Bad Request', ...validated.refusal, problems: validated.problems });
    }
    try {
      await ensureDemandPoints(app.db, dataDir);
      const { id, report } = await changeAs(app.db, await changeAuthor(request, allianceId), (trx) =>
        createImportedUnitSet(trx, allianceId, name, validated.areas, populationProperty),
      );
      const [unitSet] = await listUnitSets(app.db, allianceId, id);
      return reply.code(201).send({ unitSet: unitSet!, report });
    } catch (error) {
      if (!(error instanceof ImportProblemsError)) throw error;
      return reply.code(400).send({
        statusCode: 400,
        error: 'Bad Request',
        ...nothingImported(error.problems),
        problems: error.problems,
      });
    }
  }

  app.post(
    '/alliances/:idOrSlug/analysis-units',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('edit', alliance.resolve),
      bodyLimit: maxImportBytes,
      schema: {
        tags: ['gap analysis'],
        summary: 'Import areas (GeoJSON with a name and a population per area) as analysis units (editors)',
        description:
          'Polygon/MultiPolygon features in WGS84 longitude/latitude, at most 5000 and 5 MiB. Every problem is listed ' +
          'with the feature position; nothing is stored when there is one. Invalid rings are repaired (ST_MakeValid) and reported.',
        params: AllianceParams,
        body: UnitSetCreateBody,
        response: { 201: UnitSetCreated, ...writeErrorResponses, 400: ImportErrorResponse },
      },
    },
    async (request, reply) => importAreas(request, reply, await alliance.allianceId(request), request.body),
  );

  app.post(
    '/alliances/:idOrSlug/analysis-units/file',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('edit', alliance.resolve),
      schema: {
        tags: ['gap analysis'],
        summary:
          'Import areas from a file: GeoJSON, a zipped Shapefile or a GeoPackage in a national projection (editors)',
        description:
          'multipart/form-data: a part `file` (GeoJSON, a zip of one Shapefile layer: .shp, .dbf, .prj and ' +
          'optionally .cpg, or a GeoPackage) and the fields `name`, `nameProperty` (default "name"), ' +
          '`populationProperty` (default "population") and `layer` (a GeoPackage\'s layer; its first feature table ' +
          'by default). A Shapefile or GeoPackage is brought to WGS84 from the coordinate system its .prj or ' +
          'spatial reference names: WGS 84, ETRS89, RGF93, Lambert-93 (EPSG:2154), ITM (2157), RD New (28992), ' +
          'SWEREF99 TM (3006), ETRS89-LAEA (3035) or Pseudo-Mercator (3857); any other, or a missing .prj, is refused. Then as the JSON import: every problem listed with its row ' +
          '(from 0), nothing stored when there is one; at most 5000 areas and 5 MiB.',
        params: AllianceParams,
        consumes: ['multipart/form-data'],
        response: { 201: UnitSetCreated, ...writeErrorResponses, 400: ImportErrorResponse, 413: ErrorResponse },
      },
    },
    async (request, reply) => {
      const allianceId = await alliance.allianceId(request);
      let upload;
      try {
        upload = await geoFileUpload(request, maxImportBytes);
      } catch (error) {
        if (!(error instanceof GeoFileUploadError)) throw error;
        return sendError(reply, error.statusCode, codedFrom(error));
      }
      const { fields } = upload;
      const name = (fields.name ?? '').trim();
      const nameProperty = fields.nameProperty?.trim() || 'name';
      const populationProperty = fields.populationProperty?.trim() || 'population';
      if (name.length === 0 || name.length > 300) {
        return badRequest(reply, said('gap.areas-name'));
      }
      if (nameProperty.length > 100 || populationProperty.length > 100) {
        return badRequest(reply, said('gap.areas-property-names'));
      }
      return importAreas(request, reply, allianceId, {
        name,
        nameProperty,
        populationProperty,
        areas: upload.reading.geojson,
      });
    },
  );

  app.get(
    '/alliances/:idOrSlug/analysis-units',
    {
      schema: {
        tags: ['gap analysis'],
        summary: 'The sets of analysis units of an alliance (H3 grids and imported areas)',
        params: AllianceParams,
        response: { 200: Type.Object({ items: Type.Array(UnitSet) }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const allianceId = await allianceOr404(reply, request.params.idOrSlug);
      if (!allianceId) return reply;
      return { items: await listUnitSets(app.db, allianceId) };
    },
  );

  app.post(
    '/alliances/:idOrSlug/gap-analyses',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('edit', alliance.resolve),
      schema: {
        tags: ['gap analysis'],
        summary: 'Start a gap analysis run (editors); it is computed in the background',
        params: AllianceParams,
        body: RunCreateBody,
        response: { 202: RunAccepted, ...writeErrorResponses },
      },
    },
    async (request, reply) => {
      const allianceId = await alliance.allianceId(request);
      const body = request.body;
      let units: GapAnalysisParameters['units'];
      if (body.units.kind === 'h3') {
        const resolution = body.units.resolution ?? 7;
        // From the region's area, before a single cell is listed: a grid too fine is refused at once.
        const problem = await h3GridProblem(app.db, allianceId, resolution);
        if (problem) return badRequest(reply, problem);
        units = { kind: 'h3', resolution };
      } else {
        const unitSetId = body.units.unitSetId;
        if (!unitSetId) return badRequest(reply, said('gap.unit-set-required'));
        const [unitSet] = await listUnitSets(app.db, allianceId, unitSetId);
        if (!unitSet) return badRequest(reply, said('not-found.unit-set', { id: unitSetId }));
        units = { kind: 'imported', unitSetId };
      }
      if ((body.decaySigmaM !== undefined || body.decaySigmaMinutes !== undefined) && body.decay !== 'gaussian_sigma') {
        return badRequest(reply, said('gap.sigma-only-gaussian'));
      }
      const travel = body.travel;
      if (travel === 'straight' && (body.thresholdMinutes !== undefined || body.decaySigmaMinutes !== undefined)) {
        return badRequest(reply, said('gap.minutes-need-travel'));
      }
      if (travel !== 'straight' && !(await activeRoadNetwork(app.db, allianceId))) {
        return badRequest(reply, said('gap.no-road-network'));
      }
      const parameters: GapAnalysisParameters = {
        units,
        travel,
        thresholdM: body.thresholdM,
        ...(travel === 'straight' ? {} : { thresholdMinutes: body.thresholdMinutes ?? defaultThresholdMinutes }),
        ...(body.decaySigmaMinutes === undefined ? {} : { decaySigmaMinutes: body.decaySigmaMinutes }),
        method: body.method,
        decay: body.decay === 'gaussian' ? 'dai_gaussian' : body.decay,
        ...(body.decaySigmaM === undefined ? {} : { decaySigmaM: body.decaySigmaM }),
        belowMeanFraction: body.belowMeanFraction,
        duplicationRadiusM: body.duplicationRadiusM,
        categories: (body.categories ?? categoryIds) as CategoryId[],
        topics: body.topics,
        ...(body.leaveOutUncheckedMonths === undefined
          ? {}
          : { freshness: await freshnessOption(app.db, allianceId, body.leaveOutUncheckedMonths) }),
      };
      const id = await changeAs(app.db, await changeAuthor(request, allianceId), (trx) =>
        createRun(trx, allianceId, parameters),
      );
      // Not awaited: the client follows the progress at progressUrl. executeRun never throws.
      void executeRun(app.db, id, {
        dataDir,
        slicing: slicingFor(app.database.mode),
        travelMatrix: travelMatrixOf(app.database),
        onUnexpectedError: (error) => app.log.error({ err: error, runId: id }, 'gap analysis failed'),
      });
      return reply.code(202).send({
        id,
        status: 'running',
        progressUrl: `/api/gap-analyses/${id}`,
        resultsUrl: `/api/gap-analyses/${id}/results`,
      });
    },
  );

  app.get(
    '/alliances/:idOrSlug/gap-analyses/road-network',
    {
      schema: {
        tags: ['gap analysis'],
        summary: 'The road network travel-time analyses of the alliance use now, or null: then only straight lines',
        params: AllianceParams,
        response: {
          200: Type.Object({
            network: Nullable(Type.Object({ id: Type.String(), sourceName: Type.String(), importedAt: Type.String() })),
          }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const allianceId = await allianceOr404(reply, request.params.idOrSlug);
      if (!allianceId) return reply;
      return { network: await activeRoadNetwork(app.db, allianceId) };
    },
  );

  app.get(
    '/alliances/:idOrSlug/gap-analyses',
    {
      schema: {
        tags: ['gap analysis'],
        summary: 'The gap analysis runs of an alliance, newest first (without summaries)',
        params: AllianceParams,
        response: { 200: Type.Object({ items: Type.Array(Run) }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const allianceId = await allianceOr404(reply, request.params.idOrSlug);
      if (!allianceId) return reply;
      return { items: await listRuns(app.db, allianceId) };
    },
  );

  app.get(
    '/gap-analyses/:id',
    {
      schema: {
        tags: ['gap analysis'],
        summary: 'One run: status, progress, parameters, timestamps and, when done, its summary',
        params: RunParams,
        response: { 200: Run, ...errorResponses },
      },
    },
    async (request, reply) => (await runOr404(reply, request.params.id)) ?? reply,
  );

  app.get(
    '/gap-analyses/:id/results',
    {
      schema: {
        tags: ['gap analysis'],
        summary: 'The ranked table: one item per area × category or topic, worst-served first by default',
        params: RunParams,
        querystring: ResultsQuery,
        response: { 200: ResultPage, ...readErrorResponses },
      },
    },
    async (request, reply) => {
      const run = await runOr404(reply, request.params.id);
      if (!run) return reply;
      if (run.status !== 'done') return unfinished(reply, run);
      const { subject, flagged, sort, limit, offset } = request.query;
      if (!checkSubject(reply, run, subject)) return reply;
      const page = await listResults(app.db, run, { subject, flaggedOnly: flagged, sort, limit, offset });
      return {
        ...page,
        limit,
        offset,
        populationSource: run.summary?.populationSource ?? '',
        populationSourceParts: run.summary?.populationSourceParts ?? null,
      };
    },
  );

  app.get(
    '/gap-analyses/:id/results.geojson',
    {
      schema: {
        tags: ['gap analysis'],
        summary: 'The areas as GeoJSON features with their measures as flat properties ("<subject>.<measure>")',
        params: RunParams,
        querystring: ExportQuery,
        response: { 200: ResultFeatureCollection, ...readErrorResponses },
      },
    },
    async (request, reply) => {
      const run = await runOr404(reply, request.params.id);
      if (!run) return reply;
      if (run.status !== 'done') return unfinished(reply, run);
      if (!checkSubject(reply, run, request.query.subject)) return reply;
      const units = await unitGeometries(app.db, run.unitSetId!);
      const results = await allResults(app.db, run.id, request.query.subject);
      reply.type('application/geo+json');
      reply.header('content-disposition', `attachment; filename="gap-analysis-${run.id}.geojson"`);
      return resultsFeatureCollection(units, results);
    },
  );

  app.get(
    '/gap-analyses/:id/units/:unitId',
    {
      schema: {
        tags: ['gap analysis'],
        summary:
          "One area of a finished run as a GeoJSON feature, as results.geojson has it (every subject's measures)",
        description:
          'For a map drawn from tiles: the detail of an area chosen in the table or named in a link, and its outline ' +
          'to frame it. Readable by whoever may read the run, as its GeoJSON.',
        params: RunUnitParams,
        response: { 200: UnitFeature, ...readErrorResponses },
      },
    },
    async (request, reply) => {
      const run = await runOr404(reply, request.params.id);
      if (!run) return reply;
      if (run.status !== 'done') return unfinished(reply, run);
      const { unitId } = request.params;
      const unit = run.unitSetId ? await unitGeometry(app.db, run.unitSetId, unitId) : undefined;
      if (!unit) return notFound(reply, said('not-found.gap-analysis-area', { id: unitId }));
      const results = await unitResults(app.db, run.id, unitId);
      return resultsFeatureCollection(new Map([[unitId, unit]]), results).features[0]!;
    },
  );

  app.get(
    '/gap-analyses/:id/measures',
    {
      schema: {
        tags: ['gap analysis'],
        summary: "One subject's measures over all of a finished run's areas, as columns (no outlines)",
        description:
          'What the map of a large run, drawn from tiles, needs to cut a measure into classes and fill its legend, ' +
          'without downloading every outline. Readable by whoever may read the run, as its GeoJSON.',
        params: RunParams,
        querystring: MeasureQuery,
        response: { 200: MeasureColumns, ...readErrorResponses },
      },
    },
    async (request, reply) => {
      const run = await runOr404(reply, request.params.id);
      if (!run) return reply;
      if (run.status !== 'done') return unfinished(reply, run);
      if (!checkSubject(reply, run, request.query.subject)) return reply;
      return measureColumns(app.db, { id: run.id, unitSetId: run.unitSetId! }, request.query.subject);
    },
  );

  app.get(
    '/tiles/gap-analyses/:id/:z/:x/:y',
    {
      schema: {
        tags: ['gap analysis'],
        summary: "A finished run's areas that meet one map tile, as a Mapbox Vector Tile",
        description:
          'Layer `units`, extent 4096: each area as a polygon (clipped to the tile with a 64-pixel buffer, ' +
          'simplified to the pixel) with `unitId`, `code`, `name`, `population` and its measures as ' +
          '`results.geojson` names them (`<subject>.scoreE2sfca`, `.score2sfca`, `.supplyPer10k`, `.countWithin`, ' +
          '`.nearestDistanceM`, `.flags`, `.reasonCode`; a null measure is left out), of one subject or of all. ' +
          'Readable by whoever may read the run, as its GeoJSON. A finished run never changes: the answer may be ' +
          'cached for a year, and its ETag answers 304.',
        params: RunTileParams,
        querystring: ExportQuery,
        response: { 200: mvtResponse, 304: notModified, ...readErrorResponses },
      },
    },
    async (request, reply) => {
      const { id, z, x } = request.params;
      const y = Number.parseInt(request.params.y, 10);
      const tile = { z, x, y };
      if (!tileInRange(tile)) {
        return badRequest(reply, said('basemap.tile-out-of-range', { z, max: 2 ** Math.min(z, MAX_TILE_ZOOM) - 1 }));
      }
      const run = await runOr404(reply, id);
      if (!run) return reply;
      if (run.status !== 'done') return unfinished(reply, run);
      const { subject } = request.query;
      if (!checkSubject(reply, run, subject)) return reply;
      const etag = `"${createHash('sha256')
        .update(JSON.stringify(['units', run.id, run.finishedAt, subject ?? null, z, x, y]))
        .digest('base64url')
        .slice(0, 27)}"`;
      reply.header('etag', etag).header('cache-control', 'public, max-age=31536000, immutable');
      if (etagMatches(request.headers['if-none-match'], etag)) return reply.code(304).send(null);
      const data = await unitTile(app.db, app.database.mode, {
        runId: run.id,
        unitSetId: run.unitSetId!,
        subject,
        tile,
      });
      return reply.type(mvtType).send(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    },
  );

  app.get(
    '/gap-analyses/:id/results.csv',
    {
      schema: {
        tags: ['gap analysis'],
        summary: 'The results as CSV, one row per area × category or topic',
        params: RunParams,
        querystring: ExportQuery,
        response: { 200: Type.String(), ...readErrorResponses },
      },
    },
    async (request, reply) => {
      const run = await runOr404(reply, request.params.id);
      if (!run) return reply;
      if (run.status !== 'done') return unfinished(reply, run);
      if (!checkSubject(reply, run, request.query.subject)) return reply;
      const results = await allResults(app.db, run.id, request.query.subject);
      reply.type('text/csv; charset=utf-8');
      reply.header('content-disposition', `attachment; filename="gap-analysis-${run.id}.csv"`);
      return resultsCsv(results);
    },
  );

  app.get(
    '/gap-analyses/:id/units/:unitId/nearest',
    {
      schema: {
        tags: ['gap analysis'],
        summary:
          "The nearest services of a category or topic to an area's population-weighted centre, by geodesic distance",
        params: RunUnitParams,
        querystring: NearestQuery,
        response: { 200: NearestServices, ...errorResponses },
      },
    },
    async (request, reply) => {
      const run = await runOr404(reply, request.params.id);
      if (!run) return reply;
      if (!run.unitSetId || !(await unitBelongsToSet(app.db, request.params.unitId, run.unitSetId))) {
        return notFound(reply, said('not-found.gap-analysis-area', { id: request.params.unitId }));
      }
      const subject = subjectsOf(run.parameters).find((item) => item.id === request.query.subject);
      if (!subject) {
        checkSubject(reply, run, request.query.subject);
        return reply;
      }
      const items = await nearestServicesOfUnit(app.db, {
        unitId: request.params.unitId,
        allianceId: run.allianceId,
        subject,
        limit: request.query.limit,
      });
      return { items };
    },
  );
  app.post(
    '/gap-analyses/:id/scenarios',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('edit', runAlliance.resolve),
      schema: {
        tags: ['gap analysis'],
        summary: 'A what-if on a finished run: services added and removed, before and after per subject (editors)',
        description:
          'Only the added points are measured again (travel times by the run’s mode, or geodesic metres); the ' +
          'scores are summed again from the run’s pairs. Saved with the run.',
        params: RunParams,
        body: ScenarioBody,
        response: { 201: Scenario, ...writeErrorResponses },
      },
    },
    async (request, reply) => {
      const run = (await findRun(app.db, request.params.id))!;
      if (run.status !== 'done' || !run.unitSetId) return conflict(reply, said('gap.scenario-not-done'));
      const problem = await scenarioProblem(app.db, run, request.body);
      if (problem) return badRequest(reply, problem);
      const scenario = await createScenario(
        app.db,
        { ...run, unitSetId: run.unitSetId, networkId: run.summary?.travel?.network.id },
        request.body,
        { accountId: (await request.actor())?.accountId ?? null, travelMatrix: travelMatrixOf(app.database) },
      );
      return reply.code(201).send(scenario);
    },
  );

  app.get(
    '/gap-analyses/:id/scenario-locations',
    {
      schema: {
        tags: ['gap analysis'],
        summary: 'The service locations of the run’s subjects nearest a point, that a what-if may remove',
        description:
          'The alliance’s active, placed service locations of the categories or topics the run measured, nearest ' +
          'first; `locationId` is what a scenario’s `remove` takes.',
        params: RunParams,
        querystring: ScenarioLocationsQuery,
        response: { 200: ScenarioLocations, ...errorResponses },
      },
    },
    async (request, reply) => {
      const run = await runOr404(reply, request.params.id);
      if (!run) return reply;
      return { items: await scenarioLocationsNear(app.db, run, request.query) };
    },
  );

  app.get(
    '/gap-analyses/:id/scenarios',
    {
      schema: {
        tags: ['gap analysis'],
        summary: 'The what-if scenarios saved with a run, oldest first',
        params: RunParams,
        response: { 200: Type.Object({ items: Type.Array(Scenario) }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const run = await runOr404(reply, request.params.id);
      if (!run) return reply;
      return { items: await listScenarios(app.db, run.id) };
    },
  );
};
