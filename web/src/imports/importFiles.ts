import { importText } from './importText';

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

/** The limit as a person reads it: the server's words when it gives them, else worked out from the bytes. */
export function limitWords(limits: ImportLimits): string | null {
  if (limits.maxBytes === null) return null;
  return limits.maxSize ?? formatBytes(limits.maxBytes);
}

const MEBIBYTE = 1024 * 1024;

/**
 * "60 MB" for 60 × 1024 × 1024 bytes as for 60,000,000: the limit is set by a person as a round number, so the
 * unit that makes it round is the one they meant. Smaller sizes read in kB.
 */
export function formatBytes(bytes: number): string {
  const format = (value: number, unit: string) =>
    `${new Intl.NumberFormat('en', { maximumFractionDigits: 1 }).format(value)} ${unit}`;
  if (bytes >= 1_000_000) {
    const binary = bytes / MEBIBYTE;
    const decimal = bytes / 1_000_000;
    return format(Number.isInteger(decimal) && !Number.isInteger(binary) ? decimal : binary, 'MB');
  }
  if (bytes >= 1024) return format(bytes / 1024, 'kB');
  return format(bytes, 'bytes');
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
  if (files.length === 0) return importText.upload.noFile;
  const unknown = files.find((file) => !(acceptedExtensions as readonly string[]).includes(extensionOf(file.name)));
  if (unknown) return importText.upload.wrongKind(unknown.name, acceptedExtensions.join(' '));
  const empty = files.find((file) => file.size === 0);
  if (empty) return importText.upload.emptyFile(empty.name);
  const total = files.reduce((sum, file) => sum + file.size, 0);
  if (limits.maxBytes !== null && total > limits.maxBytes) {
    return importText.upload.tooLarge(formatBytes(total), limitWords(limits) ?? formatBytes(limits.maxBytes));
  }
  return null;
}

/** A source's name from its first file, as the server would default it: "Partners 2026.xlsx" → "Partners 2026". */
export function sourceNameFromFiles(files: readonly { name: string }[]): string {
  const first = files[0]?.name ?? '';
  const dot = first.lastIndexOf('.');
  return dot > 0 ? first.slice(0, dot) : first;
}
