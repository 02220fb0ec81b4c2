import type { Readable } from 'node:stream';
import parserStream from 'stream-json';
import { ImportFileError } from '../importRecord.js';
import { said } from '../../messages/userError.js';
import { splitJsonRecords } from './jsonSplitter.js';

/** One record of a JSON file: an element of its top-level list, of a named list inside it, or the file itself. */
export interface JsonRecord {
  /** The key of the list the record was in (`contents`, `services`), null for a top-level list or a single object. */
  list: string | null;
  /** 1-based position in that list. */
  index: number;
  value: unknown;
}

/** The streaming parser finds where a broken file stops being JSON (the records are read by jsonSplitter.ts). */
const tokenOptions = { packValues: true, streamValues: false };

/**
 * The records of a JSON file, one at a time: a file of any size is never held whole. A top-level array streams its
 * elements; a top-level object streams the arrays under `listKeys` (`{ "contents": [...] }`,
 * `{ "structures": [...], "services": [...] }`) and is otherwise one record itself (a single HSDS service).
 * Invalid JSON throws an ImportFileError naming the line and column.
 */
export async function* jsonRecords(
  fileName: string,
  open: () => Readable,
  listKeys: readonly string[],
): AsyncGenerator<JsonRecord> {
  const input = open();
  try {
    for await (const record of splitJsonRecords(input, listKeys)) {
      if (record === 'empty') throw new ImportFileError(said('import.json-empty'));
      if (record === 'scalar') throw new ImportFileError(said('import.json-scalar'));
      yield record;
    }
  } catch (error) {
    if (error instanceof ImportFileError) throw error;
    throw await invalidJson(fileName, open, error);
  } finally {
    input.destroy();
  }
}

interface Position {
  offset: number;
  line: number;
  column: number;
}

/** Feeds `chunks` to a parser one at a time; answers where it stopped, or null when the whole text is valid. */
async function firstFailure(chunks: AsyncIterable<Buffer>, byteByByteFrom: number): Promise<Position | null> {
  const tokens = parserStream(tokenOptions);
  let failure: unknown = null;
  tokens.on('error', (error) => (failure ??= error));
  tokens.resume();
  const position: Position = { offset: 0, line: 1, column: 1 };
  const feed = (piece: Buffer) => new Promise<unknown>((resolve) => tokens.write(piece, resolve));
  const advance = (piece: Buffer) => {
    for (const byte of piece) {
      position.offset += 1;
      // Continuation bytes of a UTF-8 character do not move the column.
      if (byte === 0x0a) [position.line, position.column] = [position.line + 1, 1];
      else if ((byte & 0xc0) !== 0x80) position.column += 1;
    }
  };
  for await (const chunk of chunks) {
    const pieces =
      position.offset + chunk.length <= byteByByteFrom
        ? [chunk]
        : Array.from({ length: chunk.length }, (_, at) => chunk.subarray(at, at + 1));
    for (const piece of pieces) {
      const error = await feed(piece);
      if (error || failure) return position;
      advance(piece);
    }
  }
  await new Promise((resolve) => tokens.end(resolve));
  await new Promise((resolve) => setImmediate(resolve));
  return failure ? position : null;
}

async function invalidJson(fileName: string, open: () => Readable, error: unknown): Promise<ImportFileError> {
  // A first pass finds the chunk where the parser gave up, a second reads that chunk byte by byte: the position
  // costs two reads of the file, and only when it is broken.
  const chunkStart = (await firstFailure(open(), Number.POSITIVE_INFINITY))?.offset ?? 0;
  const position = await firstFailure(open(), chunkStart);
  const reason = String(error instanceof Error ? error.message : error)
    .replace(/^Parser (cannot parse input: )?/, '')
    .replace(/\.$/, '');
  return new ImportFileError(
    position
      ? said('import.invalid-json-at', { fileName, line: position.line, column: position.column, reason })
      : said('import.invalid-json-end', { fileName, reason }),
  );
}
