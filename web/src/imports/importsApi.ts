import { ApiError } from '../api/client';
import { session, workspaceRequest } from '../account/session.svelte';
import { readImportLimits, type ImportLimits } from './importFiles';
import type { ImportChanges, ImportFormat, ImportJob, ImportRowsPage, RowsShown } from './importTypes';

/** The routes of `docs/imports-api.md`. */
const importsPath = (slug: string) => `/api/alliances/${encodeURIComponent(slug)}/imports`;
const importPath = (slug: string, id: string) => `${importsPath(slug)}/${encodeURIComponent(id)}`;

/** How large a file the server takes, stated before anyone picks one. */
export async function fetchImportLimits(signal?: AbortSignal): Promise<ImportLimits> {
  return readImportLimits(await workspaceRequest<unknown>('/api/imports/limits', { signal }));
}

/** The alliance's imports, newest first. */
export async function fetchImports(allianceSlug: string, signal?: AbortSignal): Promise<ImportJob[]> {
  const body = await workspaceRequest<{ items: ImportJob[] } | ImportJob[]>(importsPath(allianceSlug), { signal });
  return Array.isArray(body) ? body : body.items;
}

export function fetchImport(allianceSlug: string, id: string, signal?: AbortSignal): Promise<ImportJob> {
  return workspaceRequest<ImportJob>(importPath(allianceSlug, id), { signal });
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
  return workspaceRequest<ImportRowsPage>(`${importPath(allianceSlug, id)}/rows?${query}`, { signal });
}

/**
 * Sends the files as `multipart/form-data` (the JSON helper cannot), with the CSRF token like every change. The
 * server's refusals (413 with the limit in words, 400 for a file that is not the announced format, 415 for one it
 * cannot read) come back as an ApiError carrying its sentence.
 */
export async function startImport(
  allianceSlug: string,
  files: readonly File[],
  options: { format: ImportFormat | null; source: string },
): Promise<ImportJob> {
  const form = new FormData();
  // Fields first: a streaming reader on the server knows the format and source before the files arrive.
  if (options.format) form.append('format', options.format);
  if (options.source.trim()) form.append('source', options.source.trim());
  for (const file of files) form.append('file', file, file.name);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (session.me.csrfToken) headers['x-csrf-token'] = session.me.csrfToken;
  let response: Response;
  try {
    response = await fetch(importsPath(allianceSlug), {
      method: 'POST',
      headers,
      body: form,
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, 'The server could not be reached.');
  }
  const body: unknown = await response.json().catch(() => null);
  if (response.ok) return body as ImportJob;
  const message =
    typeof body === 'object' && body !== null && typeof (body as { message?: unknown }).message === 'string'
      ? (body as { message: string }).message
      : response.statusText;
  throw new ApiError(response.status, message);
}

/** Mappings, default category and cell edits answer 202 (read again); decisions answer 200. */
export function changeImport(allianceSlug: string, id: string, changes: ImportChanges): Promise<ImportJob> {
  return workspaceRequest<ImportJob>(importPath(allianceSlug, id), { method: 'PATCH', body: changes });
}

export function commitImport(allianceSlug: string, id: string): Promise<ImportJob> {
  return workspaceRequest<ImportJob>(`${importPath(allianceSlug, id)}/commit`, { method: 'POST' });
}

export function undoImport(allianceSlug: string, id: string): Promise<ImportJob> {
  return workspaceRequest<ImportJob>(`${importPath(allianceSlug, id)}/undo`, { method: 'POST' });
}

export async function discardImport(allianceSlug: string, id: string): Promise<void> {
  await workspaceRequest<unknown>(importPath(allianceSlug, id), { method: 'DELETE' });
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
