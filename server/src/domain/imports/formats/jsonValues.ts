import type { Readable } from 'node:stream';
import parserStream from 'stream-json';
import type { Token } from 'stream-json/parser.js';
import Assembler from 'stream-json/assembler.js';
import { ImportFileError } from '../importRecord.js';

/** One record of a JSON file: an element of its top-level list, of a named list inside it, or the file itself. */
export interface JsonRecord {
  /** The key of the list the record was in (`contents`, `services`), null for a top-level list or a single object. */
  list: string | null;
  /** 1-based position in that list. */
  index: number;
  value: unknown;
}

const tokenOptions = { packValues: true, streamValues: false };
const startsValue = new Set(['startObject', 'startArray']);

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
  const tokens = open().pipe(parserStream(tokenOptions));
  try {
    yield* recordsOf(tokens as AsyncIterable<Token>, listKeys);
  } catch (error) {
    if (error instanceof ImportFileError) throw error;
    throw await invalidJson(fileName, open, error);
  } finally {
    tokens.destroy();
  }
}

async function* recordsOf(tokens: AsyncIterable<Token>, listKeys: readonly string[]): AsyncGenerator<JsonRecord> {
  let top: 'array' | 'object' | null = null;
  let element: Assembler | null = null;
  let list: string | null = null;
  let index = 0;
  let key: string | null = null;
  let envelopeValue: Assembler | null = null;
  const envelope: Record<string, unknown> = {};
  let streamedAList = false;

  for await (const token of tokens) {
    if (element) {
      element.consume(token);
      if (element.done) {
        yield { list, index, value: element.current };
        element = null;
      }
      continue;
    }
    if (envelopeValue && key !== null) {
      envelopeValue.consume(token);
      if (envelopeValue.done) {
        envelope[key] = envelopeValue.current;
        envelopeValue = null;
        key = null;
      }
      continue;
    }
    if (top === null) {
      if (token.name === 'startArray') top = 'array';
      else if (token.name === 'startObject') top = 'object';
      else throw new ImportFileError('The JSON file holds a single value, not records.');
      continue;
    }
    const inList = top === 'array' || list !== null;
    if (inList) {
      if (token.name === 'endArray') {
        list = null;
        continue;
      }
      index += 1;
      const assembler = new Assembler();
      assembler.consume(token);
      if (startsValue.has(token.name)) element = assembler;
      else yield { list, index, value: assembler.current };
      continue;
    }
    // The top-level object: a key, then its value (a list of records, or a field of the envelope).
    if (token.name === 'keyValue') {
      key = String(token.value ?? '');
      continue;
    }
    if (token.name === 'endObject') continue;
    if (key !== null && token.name === 'startArray' && listKeys.includes(key)) {
      list = key;
      index = 0;
      streamedAList = true;
      key = null;
      continue;
    }
    if (key !== null) {
      const assembler = new Assembler();
      assembler.consume(token);
      if (startsValue.has(token.name)) envelopeValue = assembler;
      else {
        envelope[key] = assembler.current;
        key = null;
      }
    }
  }
  if (top === null) throw new ImportFileError('The JSON file is empty.');
  if (top === 'object' && !streamedAList) yield { list: null, index: 1, value: envelope };
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
  const where = position ? `at line ${position.line}, column ${position.column}` : 'at its end';
  return new ImportFileError(
    `The file "${fileName}" is not valid JSON: the text stops making sense ${where} (${reason}). Check that it is complete and was saved as JSON.`,
  );
}
