import type { Readable } from 'node:stream';

/**
 * The records of a JSON text found by scanning its bytes, each record's text then given to `JSON.parse`: a token
 * per value, as a streaming parser makes, costs a large extract (200 MiB, 100,000 services) most of its reading time
 * and leaves the garbage collector hundreds of megabytes of short-lived objects; `JSON.parse` of one record at a
 * time is native and makes only the record. Any byte of a multi-byte UTF-8 character is ≥ 0x80, so the structural
 * characters below are never part of one.
 *
 * The scanner only follows nesting and strings: what is not JSON (a trailing comma, a missing quote) is found by
 * `JSON.parse` of the record that holds it, or as a structure that does not add up; either way it throws
 * `MalformedJson`, and the caller finds and names the place (jsonValues.ts).
 */
export interface SplitRecord {
  /** The key of the list the record was in, null for a top-level list or a single object. */
  list: string | null;
  /** 1-based position in that list. */
  index: number;
  value: unknown;
}

export class MalformedJson extends Error {}

const quote = 0x22;
const backslash = 0x5c;
const openBracket = 0x5b;
const closeBracket = 0x5d;
const openBrace = 0x7b;
const closeBrace = 0x7d;
const comma = 0x2c;
const colon = 0x3a;

const byteOrderMark = [0xef, 0xbb, 0xbf];

const isSpace = (byte: number) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;

/** Where the scanner is in the top-level value. */
type Place =
  | 'start' // before the top-level value
  | 'list-item' // in a list of records, before an item (or its end)
  | 'list-next' // in a list of records, after an item: a comma or its end
  | 'key' // in the top-level object, before a key (or its end)
  | 'colon' // after a key
  | 'field' // after the colon: the field's value
  | 'field-next' // after a field: a comma or the object's end
  | 'end'; // after the top-level value: nothing but spaces

function parse(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new MalformedJson(String(error instanceof Error ? error.message : error));
  }
}

/**
 * The records of the JSON text `input` streams: the elements of a top-level array, the elements of the arrays
 * under `listKeys` of a top-level object, or else that object itself, as jsonValues.ts describes. Yields `empty`
 * for a text of spaces only, `scalar` for a text that is one string, number or literal.
 */
export async function* splitJsonRecords(
  input: Readable,
  listKeys: readonly string[],
): AsyncGenerator<SplitRecord | 'empty' | 'scalar'> {
  let place = 'start' as Place;
  let top: 'array' | 'object' | null = null;
  let list: string | null = null;
  let index = 0;
  let key: string | null = null;
  const envelope: Record<string, unknown> = {};
  let streamedAList = false;
  let bomLeft = 3;

  // The value being collected (a record, a key, an envelope field), across chunks.
  let parts: Buffer[] = [];
  let collecting = false;
  let depth = 0;
  let inString = false;
  let escaped = false;
  // A scalar outside strings (a number, true) ends at the first byte that cannot continue it.
  let scalar = false;

  const finish = (chunk: Buffer, from: number, to: number): Buffer => {
    parts.push(chunk.subarray(from, to));
    const bytes = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    parts = [];
    collecting = false;
    return bytes;
  };

  for await (const chunk of input as AsyncIterable<Buffer>) {
    let start = 0;
    for (let at = 0; at < chunk.length; at++) {
      const byte = chunk[at]!;
      // A byte order mark (EF BB BF) before the text, however the chunks cut it.
      if (bomLeft > 0) {
        bomLeft -= 1;
        if (byte === byteOrderMark[2 - bomLeft]) continue;
        if (bomLeft < 2) throw new MalformedJson('the text starts with a broken byte order mark');
        bomLeft = 0;
      }
      if (collecting) {
        if (inString) {
          if (escaped) escaped = false;
          else if (byte === backslash) escaped = true;
          else if (byte === quote) {
            inString = false;
            if (depth === 0 && !scalar) {
              // A string value (or a key) is complete.
              const value = parse(finish(chunk, start, at + 1));
              yield* settle(value);
            }
          }
          continue;
        }
        if (scalar) {
          if (byte === comma || byte === closeBracket || byte === closeBrace || isSpace(byte)) {
            const value = parse(finish(chunk, start, at));
            yield* settle(value);
            at -= 1; // the byte that ended it is read again, outside the value
          }
          continue;
        }
        if (byte === quote) inString = true;
        else if (byte === openBrace || byte === openBracket) depth += 1;
        else if (byte === closeBrace || byte === closeBracket) {
          depth -= 1;
          if (depth === 0) {
            const value = parse(finish(chunk, start, at + 1));
            yield* settle(value);
          }
        }
        continue;
      }
      if (isSpace(byte)) continue;
      switch (place) {
        case 'start':
          if (byte === openBracket) [top, place] = ['array', 'list-item'];
          else if (byte === openBrace) [top, place] = ['object', 'key'];
          else {
            yield 'scalar';
            return;
          }
          continue;
        case 'list-item':
          if (byte === closeBracket && index === 0) {
            endList();
            continue;
          }
          break;
        case 'list-next':
          if (byte === comma) place = 'list-item';
          else if (byte === closeBracket) endList();
          else throw new MalformedJson(`unexpected "${String.fromCharCode(byte)}" after a record`);
          continue;
        case 'key':
          if (byte === closeBrace && key === null && Object.keys(envelope).length === 0 && !streamedAList) {
            place = 'end';
            continue;
          }
          if (byte !== quote) throw new MalformedJson('a key was expected');
          break;
        case 'colon':
          if (byte !== colon) throw new MalformedJson('a colon was expected after a key');
          place = 'field';
          continue;
        case 'field':
          if (byte === openBracket && key !== null && listKeys.includes(key)) {
            [list, index, key, streamedAList, place] = [key, 0, null, true, 'list-item'];
            continue;
          }
          break;
        case 'field-next':
          if (byte === comma) place = 'key';
          else if (byte === closeBrace) place = 'end';
          else throw new MalformedJson(`unexpected "${String.fromCharCode(byte)}" after a field`);
          continue;
        case 'end':
          throw new MalformedJson('text follows the end of the JSON value');
      }
      // The start of a value to collect: a record, a key or a field of the envelope.
      collecting = true;
      start = at;
      depth = 0;
      inString = false;
      escaped = false;
      scalar = false;
      if (byte === quote) inString = true;
      else if (byte === openBrace || byte === openBracket) depth = 1;
      else scalar = true;
    }
    if (collecting) parts.push(chunk.subarray(start));
  }
  if (collecting && scalar) {
    const value = parse(finish(Buffer.alloc(0), 0, 0));
    yield* settle(value);
  }
  if (place === 'start') {
    yield 'empty';
    return;
  }
  if (collecting || place !== 'end') throw new MalformedJson('the text ends before the JSON value does');
  if (top === 'object' && !streamedAList) yield { list: null, index: 1, value: envelope };

  /** What a collected value is, given where the scanner was. */
  function* settle(value: unknown): Generator<SplitRecord> {
    switch (place) {
      case 'list-item':
        index += 1;
        place = 'list-next';
        yield { list, index, value };
        return;
      case 'key':
        if (typeof value !== 'string') throw new MalformedJson('a key was expected');
        [key, place] = [value, 'colon'];
        return;
      case 'field':
        envelope[key!] = value;
        [key, place] = [null, 'field-next'];
        return;
      default:
        throw new MalformedJson('a value was not expected here');
    }
  }

  function endList() {
    if (top === 'array') place = 'end';
    else [list, place] = [null, 'field-next'];
  }
}
