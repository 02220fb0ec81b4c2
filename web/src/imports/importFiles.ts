import { t } from '../i18n/pageLanguage.svelte';

/** The file kinds the readers take: the `accept` of the file button, and the check made before sending. */
export const acceptedExtensions = ['.json', '.csv', '.tsv', '.txt', '.xlsx', '.zip'] as const;

/** What `GET /api/imports/limits` says about the size of an upload. */
export interface ImportLimits {
  /** The most bytes one upload (all its files together) may weigh, or null when the server does not say. */
  maxBytes: number | null;
  /** The same limit in the server's words ("60 MB"), when it gives them. */
  maxSize?: string | null;
}

/**
 * Reads `GET /api/imports/limits` (`{ maxBytes, maxSize, formats }`) defensively: a page that states no limit is
 * better than one that breaks on an answer it did not expect.
 */
export function readImportLimits(body: unknown): ImportLimits {
  if (typeof body !== 'object' || body === null) return { maxBytes: null, maxSize: null };
  const { maxBytes, maxSize } = body as Record<string, unknown>;
  const bytes = typeof maxBytes === 'number' && Number.isFinite(maxBytes) && maxBytes > 0 ? maxBytes : null;
  const words = typeof maxSize === 'string' && maxSize.trim() !== '' && bytes !== null ? maxSize.trim() : null;
  return { maxBytes: bytes, maxSize: words };
}

/**
 * The limit as a person reads it, in the reader's language: worked out from the bytes, which give the same round
 * figure as the server's own words ("60 MB") without its English unit.
 */
export function limitWords(limits: ImportLimits): string | null {
  if (limits.maxBytes === null) return null;
  return formatBytes(limits.maxBytes);
}

const MEBIBYTE = 1024 * 1024;

/** One decimal at most: "1.5 MB", "60 MB". */
const oneDecimal = (value: number) => Math.round(value * 10) / 10;

/**
 * "60 MB" for 60 × 1024 × 1024 bytes as for 60,000,000: the limit is set by a person as a round number, so the
 * unit that makes it round is the one they meant. Smaller sizes read in kB. Figures and units in the reader's
 * language ("60 Mo" in French).
 */
export function formatBytes(bytes: number): string {
  if (bytes >= 1_000_000) {
    const binary = bytes / MEBIBYTE;
    const decimal = bytes / 1_000_000;
    const size = Number.isInteger(decimal) && !Number.isInteger(binary) ? decimal : binary;
    return t('imports.size.megabytes', { size: oneDecimal(size) });
  }
  if (bytes >= 1024) return t('imports.size.kilobytes', { size: oneDecimal(bytes / 1024) });
  return t('imports.size.bytes', { count: bytes });
}

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot).toLowerCase();
}

/**
 * Why these files cannot be sent, in a sentence, or null when they can: checked in the page so that a person with
 * a too-large or wrong file learns it at once, rather than after minutes of uploading. The server checks again.
 */
export function filesProblem(files: readonly { name: string; size: number }[], limits: ImportLimits): string | null {
  if (files.length === 0) return t('imports.upload.noFile');
  const unknown = files.find((file) => !(acceptedExtensions as readonly string[]).includes(extensionOf(file.name)));
  if (unknown) return t('imports.upload.wrongKind', { name: unknown.name, kinds: acceptedExtensions.join(' ') });
  const empty = files.find((file) => file.size === 0);
  if (empty) return t('imports.upload.emptyFile', { name: empty.name });
  const total = files.reduce((sum, file) => sum + file.size, 0);
  if (limits.maxBytes !== null && total > limits.maxBytes) {
    return t('imports.upload.tooLarge', { size: formatBytes(total), limit: formatBytes(limits.maxBytes) });
  }
  return null;
}

/** A source's name from its first file, as the server would default it: "Partners 2026.xlsx" → "Partners 2026". */
export function sourceNameFromFiles(files: readonly { name: string }[]): string {
  const first = files[0]?.name ?? '';
  const dot = first.lastIndexOf('.');
  return dot > 0 ? first.slice(0, dot) : first;
}
