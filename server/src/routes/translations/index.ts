import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { Type } from 'typebox';
import { changeAs } from '../../domain/history/actingAs.js';
import { staleVersionMessage } from '../../domain/history/staleVersion.js';
import { allianceOfOrganization } from '../../domain/organizations/organizationRepository.js';
import { allianceOfService } from '../../domain/services/serviceRepository.js';
import {
  machineTranslate,
  TranslatorFailure,
  type TranslatorSettings,
} from '../../domain/translations/machineTranslator.js';
import { fieldsOf, storedFieldOf, type TranslatableField } from '../../domain/translations/translatableFields.js';
import {
  deleteTranslation,
  fieldsToDraft,
  findTranslation,
  originalTexts,
  reviewTranslation,
  storeMachineDrafts,
  type TranslationKey,
  type TranslationOutcome,
  translationSheet,
  writeHumanTranslation,
} from '../../domain/translations/translationRepository.js';
import { ErrorResponse, errorResponses, IdParams, writeErrorResponses } from '../commonSchemas.js';
import { badRequest, notFound } from '../notFound.js';
import { sendError } from '../../plugins/errors.js';
import { codedFrom, said } from '../../domain/messages/userError.js';
import { allianceOfRecordInPath, changeAuthor, conflict } from '../workspaceRouting.js';
import {
  DeleteQuery,
  HumanTranslationBody,
  LanguageParams,
  MachineDraftAnswer,
  ReviewBody,
  TranslationParams,
  TranslationSheet,
} from './schemas.js';

export interface TranslationRoutesOptions {
  /** The operator's machine-translation service; undefined when TRANSLATOR_URL is not set. */
  translator: TranslatorSettings | undefined;
}

const records = [
  { path: 'services', entityType: 'service', noun: 'service', article: 'A', allianceOf: allianceOfService },
  {
    path: 'organizations',
    entityType: 'organization',
    noun: 'organisation',
    article: 'An',
    allianceOf: allianceOfOrganization,
  },
] as const;

const languageName = (code: string) => new Intl.DisplayNames(['en'], { type: 'language' }).of(code) ?? code;

/**
 * Translations of organisations' and services' texts, side by side with the originals, for the alliance's members
 * to read and its editors to write, review and delete; drafts by the operator's machine-translation service when
 * there is one. Every write goes through the change log like the record's own changes.
 */
export const translationRoutes: FastifyPluginAsyncTypebox<TranslationRoutesOptions> = async (app, { translator }) => {
  for (const record of records) {
    const { entityType, noun, path } = record;
    const notFoundMessage = (id: string) =>
      entityType === 'service' ? said('not-found.service', { id }) : said('not-found.organization', { id });
    const alliance = allianceOfRecordInPath((id) => record.allianceOf(app.db, id), notFoundMessage);
    const tags = ['translations'];

    /** The sheet of the record, answered after a change; a record deleted meanwhile is a 404. */
    const sheetOf = async (reply: FastifyReply, id: string) => {
      const sheet = await translationSheet(app.db, entityType, id);
      if (!sheet) return notFound(reply, notFoundMessage(id));
      return { ...sheet, machineTranslation: translator !== undefined };
    };

    /** Why this translation cannot be written: a field the record type has not, or the original's own language. */
    const keyProblem = async (id: string, language: string, field?: TranslatableField) => {
      if (field && !storedFieldOf(entityType, field)) {
        return said('translation.no-such-field', {
          entityType,
          noun,
          article: record.article,
          textField: field,
          fields: fieldsOf(entityType).join(', '),
        });
      }
      const originals = await originalTexts(app.db, entityType, id);
      if (originals && primary(originals.textLanguage) === primary(language)) {
        return said('translation.same-language', {
          entityType,
          noun,
          language: originals.textLanguage,
          languageName: languageName(originals.textLanguage),
        });
      }
      return null;
    };

    /** The answer to a compare-and-update: the sheet, or why nothing was written. */
    const outcomeAnswer = async (
      reply: FastifyReply,
      key: TranslationKey,
      outcome: TranslationOutcome,
      missing: 'not found' | 'conflict',
    ) => {
      if (outcome === 'written') return sheetOf(reply, key.entityId);
      const what = {
        entityType,
        noun,
        language: key.language,
        languageName: languageName(key.language),
        textField: key.field,
      };
      if (outcome === 'missing' && missing === 'not found') return notFound(reply, said('not-found.translation', what));
      const row = outcome === 'stale' ? await findTranslation(app.db, key) : undefined;
      if (!row) return conflict(reply, said('conflict.translation-deleted', what));
      return conflict(
        reply,
        await staleVersionMessage(app.db, { entityType: 'translation', entityId: row.id, noun: 'translation' }),
      );
    };

    const author = async (request: FastifyRequest) => changeAuthor(request, await alliance.allianceId(request));
    const editors = { onRequest: app.requireSignedIn, preHandler: app.requirePermission('edit', alliance.resolve) };

    /** Checks the translation named by the path, makes `write` in the change log's transaction, answers the sheet. */
    const changeTranslation = async (
      request: FastifyRequest<{ Params: { id: string; language: string; field: TranslatableField } }>,
      reply: FastifyReply,
      missing: 'not found' | 'conflict',
      write: (trx: Transaction<Database>, key: TranslationKey, accountId: string | null) => Promise<TranslationOutcome>,
    ) => {
      const { id, language, field } = request.params;
      const problem = await keyProblem(id, language, field);
      if (problem) return badRequest(reply, problem);
      const key: TranslationKey = { entityType, entityId: id, field, language };
      const who = await author(request);
      const outcome = await changeAs(app.db, who, (trx) => write(trx, key, who.accountId));
      return outcomeAnswer(reply, key, outcome, missing);
    };

    app.get(
      `/${path}/:id/translations`,
      {
        onRequest: app.requireSignedIn,
        preHandler: app.requirePermission('read', alliance.resolve),
        schema: {
          tags,
          summary: `The ${noun}'s translatable fields, each with its original and every translation (members of its alliance)`,
          params: IdParams,
          response: { 200: TranslationSheet, ...errorResponses, 401: ErrorResponse, 403: ErrorResponse },
        },
      },
      async (request, reply) => sheetOf(reply, request.params.id),
    );

    app.put(
      `/${path}/:id/translations/:language/:field`,
      {
        ...editors,
        schema: {
          tags,
          summary: `Write a person's translation of a field of the ${noun} (origin human, reviewed; editors)`,
          description:
            'Send the version read to change an existing translation; leave it out for a new one. 409 when the ' +
            'translation was written, changed or deleted by someone else since.',
          params: TranslationParams,
          body: HumanTranslationBody,
          response: { 200: TranslationSheet, ...writeErrorResponses },
        },
      },
      (request, reply) =>
        changeTranslation(request, reply, 'conflict', (trx, key, accountId) =>
          writeHumanTranslation(trx, key, {
            text: request.body.text,
            version: request.body.version ?? null,
            accountId,
          }),
        ),
    );

    app.post(
      `/${path}/:id/translations/:language/:field/review`,
      {
        ...editors,
        schema: {
          tags,
          summary: `Mark a translation of the ${noun} reviewed, as it is or corrected (editors)`,
          description:
            'The translation is then taken as written from today’s original. A corrected text becomes the ' +
            'reviewer’s own (origin human); an uncorrected machine translation stays a machine translation, reviewed.',
          params: TranslationParams,
          body: ReviewBody,
          response: { 200: TranslationSheet, ...writeErrorResponses },
        },
      },
      (request, reply) =>
        changeTranslation(request, reply, 'not found', (trx, key, accountId) =>
          reviewTranslation(trx, key, { ...request.body, accountId }),
        ),
    );

    app.delete(
      `/${path}/:id/translations/:language/:field`,
      {
        ...editors,
        schema: {
          tags,
          summary: `Delete a translation of the ${noun} (editors; it can be read back from the history)`,
          params: TranslationParams,
          querystring: DeleteQuery,
          response: { 200: TranslationSheet, ...writeErrorResponses },
        },
      },
      (request, reply) =>
        changeTranslation(request, reply, 'not found', (trx, key) =>
          deleteTranslation(trx, key, request.query.version),
        ),
    );

    app.post(
      `/${path}/:id/translations/:language/machine-drafts`,
      {
        ...editors,
        schema: {
          tags,
          summary: `Draft the ${noun}'s missing translations into a language with the machine-translation service (editors)`,
          description:
            'Fields with no translation in the language, or only a machine draft of an older original, are sent to ' +
            'the service set by TRANSLATOR_URL; a person’s or a reviewed translation is never replaced. 409 when ' +
            'the server has no such service (nothing is sent anywhere then); 502 when the service fails.',
          params: LanguageParams,
          body: Type.Optional(Type.Null()),
          response: { 200: MachineDraftAnswer, ...writeErrorResponses, 502: ErrorResponse },
        },
      },
      async (request, reply) => {
        const { id, language } = request.params;
        if (!translator) {
          return conflict(reply, said('translator.none'));
        }
        const problem = await keyProblem(id, language);
        if (problem) return badRequest(reply, problem);
        const sheet = await translationSheet(app.db, entityType, id);
        if (!sheet) return notFound(reply, notFoundMessage(id));
        const wanted = fieldsToDraft(sheet, language);
        let texts: string[];
        try {
          // Outside any transaction: the service may take seconds, and nothing waits on the database meanwhile.
          texts = await machineTranslate(
            translator,
            wanted.map((draft) => draft.original),
            sheet.textLanguage,
            language,
          );
        } catch (error) {
          if (!(error instanceof TranslatorFailure)) throw error;
          return sendError(reply, 502, codedFrom(error));
        }
        const drafted = await changeAs(app.db, await author(request), (trx) =>
          storeMachineDrafts(
            trx,
            { entityType, entityId: id, language },
            wanted.map((draft, index) => ({ ...draft, text: texts[index]! })),
          ),
        );
        const answer = await sheetOf(reply, id);
        return 'fields' in answer ? { ...answer, drafted } : answer;
      },
    );
  }
};

const primary = (code: string) => code.toLowerCase().split('-')[0]!;
