import { ImportFileError, type ImportFile, type ImportReader, type ReadOptions } from './importRecord.js';

/** Opens the readers of the files (`formats/`), which detect and check the format first. */
export type OpenImportReader = (files: ImportFile[], options: ReadOptions) => Promise<ImportReader>;

/** Until the file readers are part of the server, no file can be read. */
export const openImportReader: OpenImportReader = async () => {
  throw new ImportFileError('This server cannot read import files yet.', 415);
};
