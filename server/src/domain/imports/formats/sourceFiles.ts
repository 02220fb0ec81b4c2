import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Readable } from 'node:stream';
import type { ImportFile } from '../importRecord.js';
import { ImportFileError } from '../importRecord.js';
import { said } from '../../messages/userError.js';
import { zipEntries } from './zipArchive.js';

/** One file to read: an uploaded file, a file of an uploaded folder, or an entry of an uploaded zip. */
export interface SourceFile {
  /** The name a person knows it by: `services.json`, or the entry's name inside a zip (`data/services.csv`). */
  name: string;
  /** The last part of `name`, which tells its role (`services.csv`). */
  baseName: string;
  /** The uploaded file it comes from (the zip's name for an entry). */
  uploadName: string;
  size: number;
  open(): Readable;
}

export const zipSignature = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const emptyZipSignature = Buffer.from([0x50, 0x4b, 0x05, 0x06]);

/** The first bytes of a file, for telling its format. */
export async function headOf(source: SourceFile, length = 65_536): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  const stream = source.open();
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      total += chunk.length;
      if (total >= length) break;
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks).subarray(0, length);
}

export function isZip(head: Buffer): boolean {
  return head.subarray(0, 4).equals(zipSignature) || head.subarray(0, 4).equals(emptyZipSignature);
}

export function plainFile(path: string, name: string, uploadName: string, size: number): SourceFile {
  return { name, baseName: basename(name), uploadName, size, open: () => createReadStream(path) };
}

/**
 * The files an import reads: each upload as itself, a folder as its files, a zip as its entries (what macOS adds
 * to zips, `__MACOSX/` and `._*`, left out). An upload that cannot be read at all is refused here.
 */
export async function sourceFilesOf(file: ImportFile): Promise<{ files: SourceFile[]; zipped: boolean }> {
  const info = await stat(file.path).catch(() => null);
  if (!info) throw new ImportFileError(said('import.upload-lost', { fileName: file.name }));
  if (info.isDirectory()) {
    const names = (await readdir(file.path)).filter((name) => !name.startsWith('.')).sort();
    const files: SourceFile[] = [];
    for (const name of names) {
      const entryInfo = await stat(join(file.path, name));
      if (entryInfo.isFile()) files.push(plainFile(join(file.path, name), name, file.name, entryInfo.size));
    }
    return { files, zipped: true };
  }
  const upload = plainFile(file.path, file.name, file.name, info.size);
  if (info.size === 0) return { files: [upload], zipped: false };
  const head = await headOf(upload, 4);
  if (!isZip(head)) return { files: [upload], zipped: false };
  const entries = await zipEntries(file.path, file.name);
  const files = entries
    .filter((entry) => !entry.name.startsWith('__MACOSX/') && !basename(entry.name).startsWith('._'))
    .map((entry) => ({
      name: entry.name,
      baseName: basename(entry.name),
      uploadName: file.name,
      size: entry.size,
      open: entry.open,
    }));
  return { files, zipped: true };
}
