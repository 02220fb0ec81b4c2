import { apiRequest } from '../api/request';
import { readImportLimits, type ImportLimits } from './importFiles';
import type { ImportChanges, ImportFormat, ImportJob, ImportRowsPage, RowsShown } from './importTypes';

/** The routes of `docs/imports-api.md`. */
const importsPath = (slug: string) => `/api/alliances/${encodeURIComponent(slug)}/imports`;
const importPath = (slug: string, id: string) => `${importsPath(slug)}/${encodeURIComponent(id)}`;

/** How large a file the server takes, stated before anyone picks one. */
export async function fetchImportLimits(signal?: AbortSignal): Promise<ImportLimits> {
  return readImportLimits(await apiRequest<unknown>('/api/imports/limits', { signal }));
}

/** The alliance's imports, newest first. */
export async function fetchImports(allianceSlug: string, signal?: AbortSignal): Promise<ImportJob[]> {
  const body = await apiRequest<{ items: ImportJob[] } | ImportJob[]>(importsPath(allianceSlug), { signal });
  return Array.isArray(body) ? body : body.items;
}

export function fetchImport(allianceSlug: string, id: string, signal?: AbortSignal): Promise<ImportJob> {
  return apiRequest<ImportJob>(importPath(allianceSlug, id), { signal });
}

export function fetchImportRows(
  allianceSlug: string,
  id: string,
  show: RowsShown,
  page: number,
  perPage: number,
  signal?: AbortSignal,
): Promise<ImportRowsPage> {
  const query = new URLSearchParams({ show, page: String(page), per_page: String(perPage) });
  return apiRequest<ImportRowsPage>(`${importPath(allianceSlug, id)}/rows?${query}`, { signal });
}

/**
 * Sends the files as `multipart/form-data` (the JSON helper cannot), with the CSRF token like every change. The
 * server's refusals (413 with the limit in words, 400 for a file that is not the announced format, 415 for one it
 * cannot read) come back as an ApiError carrying its sentence.
 */
export function startImport(
  allianceSlug: string,
  files: readonly File[],
  options: { format: ImportFormat | null; source: string },
): Promise<ImportJob> {
  const form = new FormData();
  // Fields first: a streaming reader on the server knows the format and source before the files arrive.
  if (options.format) form.append('format', options.format);
  if (options.source.trim()) form.append('source', options.source.trim());
  for (const file of files) form.append('file', file, file.name);
  return apiRequest<ImportJob>(importsPath(allianceSlug), { method: 'POST', body: form });
}

/** Mappings, default category and cell edits answer 202 (read again); decisions answer 200. */
export function changeImport(allianceSlug: string, id: string, changes: ImportChanges): Promise<ImportJob> {
  return apiRequest<ImportJob>(importPath(allianceSlug, id), { method: 'PATCH', body: changes });
}

export function commitImport(allianceSlug: string, id: string): Promise<ImportJob> {
  return apiRequest<ImportJob>(`${importPath(allianceSlug, id)}/commit`, { method: 'POST' });
}

export function undoImport(allianceSlug: string, id: string): Promise<ImportJob> {
  return apiRequest<ImportJob>(`${importPath(allianceSlug, id)}/undo`, { method: 'POST' });
}

export async function discardImport(allianceSlug: string, id: string): Promise<void> {
  await apiRequest<unknown>(importPath(allianceSlug, id), { method: 'DELETE' });
}

/** The three ways the alliance's data goes back out, as links a browser downloads. */
export function exportLinks(allianceSlug: string): {
  hsds: string;
  dataInclusion: string;
  spreadsheet: string;
  spreadsheetSemicolon: string;
} {
  const base = `/api/alliances/${encodeURIComponent(allianceSlug)}/exports`;
  return {
    hsds: `${base}/hsds.zip`,
    dataInclusion: `${base}/data-inclusion.json`,
    spreadsheet: `${base}/services.csv`,
    spreadsheetSemicolon: `${base}/services.csv?separator=semicolon`,
  };
}
