import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import {
  cellDegrees,
  type CompactIndex,
  compactFormat,
  type DetailsPack,
  encodePacks,
  type SearchPack,
  servicesByCell,
} from '#contract/directory/compactDirectory.js';
import type { Database } from '../../db/schema.js';
import { buildDirectory, type DirectoryAlliance, type DirectoryOptions } from './directoryRepository.js';

/** A pack ready to send: its body and its ETag. */
export interface ReadyPack<T> {
  pack: T;
  etag: string;
}

/** A cell's two packs, ready to send. */
export interface ReadyPart {
  search: ReadyPack<SearchPack>;
  details: ReadyPack<DetailsPack>;
}

export interface DirectoryParts {
  index: CompactIndex;
  indexEtag: string;
  parts: Map<string, ReadyPart>;
}

const etagOf = (value: unknown) =>
  `"${compactFormat}-${createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 22)}"`;

/**
 * The compact directory of an alliance for a first day, cut into its cells (see contract/directory): an index and,
 * per cell that holds services, a search pack and a details pack, each with an ETag from its content.
 */
export async function buildDirectoryParts(
  db: Kysely<Database>,
  alliance: DirectoryAlliance,
  options: DirectoryOptions,
): Promise<DirectoryParts> {
  const directory = await buildDirectory(db, alliance, options);
  const parts = new Map<string, ReadyPart>();
  for (const [cell, services] of servicesByCell(directory.services)) {
    const { search, details } = encodePacks(cell, directory.openFrom, services);
    const searchEtag = etagOf(search);
    // The details name the search pack they go with, so their ETag changes with it.
    const detailsWithEtag = { ...details, searchEtag };
    parts.set(cell, {
      search: { pack: search, etag: searchEtag },
      details: { pack: detailsWithEtag, etag: etagOf(detailsWithEtag) },
    });
  }
  const { services: _services, ...rest } = directory;
  const index: CompactIndex = {
    format: compactFormat,
    ...rest,
    cellDegrees,
    parts: [...parts.values()].map(({ search, details }) => ({
      id: search.pack.id,
      services: search.pack.services.length,
      etag: search.etag,
      detailsEtag: details.etag,
    })),
  };
  // generatedAt changes with every build; the ETag says whether what the finder shows changed.
  const { generatedAt: _generatedAt, ...content } = index;
  return { index, indexEtag: etagOf(content), parts };
}

/**
 * Where the data stands: the last change recorded. Every write to services, locations, schedules, translations,
 * closures and alliances goes through the change log (the history's triggers), so a new number means the parts
 * may differ and are built again; the same number means the ones built are still true.
 */
async function dataVersion(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ version: string | null }>`select max(id)::text as version from change_log`.execute(db);
  return rows[0]?.version ?? '0';
}

/**
 * Built parts, kept in memory per alliance for the last first day and data version asked: a region's phones all
 * fetch the same parts, so they are built once, not once per phone. Two requests during a build share it.
 */
export class DirectoryPartsCache {
  readonly #built = new Map<string, { key: string; parts: Promise<DirectoryParts> }>();

  async partsOf(db: Kysely<Database>, alliance: DirectoryAlliance, options: DirectoryOptions & { day: string }) {
    const key = `${options.day}|${await dataVersion(db)}`;
    const kept = this.#built.get(alliance.id);
    if (kept?.key === key) return kept.parts;
    const parts = buildDirectoryParts(db, alliance, options);
    this.#built.set(alliance.id, { key, parts });
    parts.catch(() => {
      if (this.#built.get(alliance.id)?.parts === parts) this.#built.delete(alliance.id);
    });
    return parts;
  }
}
