import fs from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import type { ImportFile } from './importRecord.js';

/** The upload went past the size limit: the part saved so far is removed. */
export class UploadTooLarge extends Error {}

/**
 * The files of imports, kept on disk under `<importDir>/<import id>/` until the preview is committed, discarded
 * or expires: a restart keeps them, so a preview can still be read again (a mapping changed) the next day.
 * Files are named by their position, never by the name a person's computer gave them.
 */
export class ImportFileStore {
  constructor(readonly directory: string) {}

  private folderOf(jobId: string): string {
    if (!/^[0-9a-f-]{36}$/.test(jobId)) throw new Error(`not an import id: ${jobId}`);
    return path.join(this.directory, jobId);
  }

  /** A folder for files not yet given to an import (the import's id is known only once they are all read). */
  async newUploadFolder(): Promise<string> {
    await fs.mkdir(this.directory, { recursive: true });
    return fs.mkdtemp(path.join(this.directory, 'upload-'));
  }

  /** Streams one uploaded part to disk; throws UploadTooLarge when the stream says it was cut at the limit. */
  async save(folder: string, index: number, name: string, stream: Readable & { truncated?: boolean }) {
    const file = path.join(folder, `${index}`);
    await pipeline(stream, (await fs.open(file, 'w')).createWriteStream());
    if (stream.truncated) throw new UploadTooLarge();
    return { path: file, name };
  }

  /** Moves an upload folder under the import's id, with the names of its files beside them. */
  async adopt(folder: string, jobId: string, files: ImportFile[]): Promise<ImportFile[]> {
    const target = this.folderOf(jobId);
    await fs.rename(folder, target);
    await fs.writeFile(path.join(target, 'files.json'), JSON.stringify(files.map((file) => file.name)));
    return this.filesOf(jobId);
  }

  async filesOf(jobId: string): Promise<ImportFile[]> {
    const folder = this.folderOf(jobId);
    const names = JSON.parse(await fs.readFile(path.join(folder, 'files.json'), 'utf8')) as string[];
    return names.map((name, index) => ({ path: path.join(folder, `${index}`), name }));
  }

  async remove(jobIdOrFolder: string): Promise<void> {
    const folder = path.isAbsolute(jobIdOrFolder) ? jobIdOrFolder : this.folderOf(jobIdOrFolder);
    await fs.rm(folder, { recursive: true, force: true });
  }
}
