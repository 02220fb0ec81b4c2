import { openImportFiles } from './formats/index.js';
import type { ImportFile, ImportReader, ReadOptions } from './importRecord.js';

/** Opens the readers of the files, which detect and check the format first; tests give records of their own. */
export type OpenImportReader = (files: ImportFile[], options: ReadOptions) => Promise<ImportReader>;

export const openImportReader: OpenImportReader = openImportFiles;
