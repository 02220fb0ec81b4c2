import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { MalformedJson, splitJsonRecords } from '../../server/src/domain/imports/formats/jsonSplitter.js';

/** The text in chunks of `size` bytes (1: every byte apart, so that every value spans chunks). */
function chunked(text: string, size: number): Readable {
  const bytes = Buffer.from(text, 'utf8');
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
  return Readable.from(chunks, { objectMode: false });
}

async function split(text: string, listKeys: string[], size = 7) {
  const out = [];
  for await (const record of splitJsonRecords(chunked(text, size), listKeys)) out.push(record);
  return out;
}

const tricky = {
  id: 'a"b\\c',
  nom: 'Café – « accueil » ]}[{,: 😀',
  escaped: '\\"',
  nested: { list: [1, [2, { three: '}' }]], empty: {}, none: [] },
  numbers: [0, -1.5e3, 12],
  flags: [true, false, null],
};

describe('JSON records found by scanning bytes', () => {
  it.each([1, 2, 3, 7, 64, 100_000])('reads a top-level list whatever the chunks (%i bytes)', async (size) => {
    const records = [tricky, { id: 2 }, 'text', 42, null, [1, 2]];
    const text = `\uFEFF \n[\n ${records.map((record) => JSON.stringify(record, null, size % 2 ? 2 : 0)).join(' ,\n')} ]\n`;
    const out = await split(text, [], size);
    expect(out).toEqual(records.map((value, index) => ({ list: null, index: index + 1, value })));
  });

  it('reads the lists named, in order, and keeps the other fields apart', async () => {
    const text = JSON.stringify({
      version: '1.0',
      structures: [tricky, { id: 's2' }],
      meta: { total: 3, keys: ['services'] },
      services: [{ id: 'x' }],
      empty: [],
    });
    const out = await split(text, ['structures', 'services', 'empty'], 3);
    expect(out).toEqual([
      { list: 'structures', index: 1, value: tricky },
      { list: 'structures', index: 2, value: { id: 's2' } },
      { list: 'services', index: 1, value: { id: 'x' } },
    ]);
  });

  it('gives a single object as one record, lists inside it included when they are not named', async () => {
    const out = await split(JSON.stringify({ ...tricky, contents: [1, 2] }), [], 5);
    expect(out).toEqual([{ list: null, index: 1, value: { ...tricky, contents: [1, 2] } }]);
    expect(await split('{}', ['contents'])).toEqual([{ list: null, index: 1, value: {} }]);
    expect(await split('[]', [])).toEqual([]);
  });

  it('says when the text is empty or a single value', async () => {
    expect(await split(' \n ', [])).toEqual(['empty']);
    expect(await split('"just text"', [])).toEqual(['scalar']);
    expect(await split('12', [])).toEqual(['scalar']);
  });

  it.each([
    ['a trailing comma in a list', '[{"a":1},]'],
    ['a trailing comma in an object', '{"services":[],}'],
    ['a record cut short', '[{"a":1},{"b":'],
    ['a list not closed', '[{"a":1}'],
    ['a missing comma', '[{"a":1} {"b":2}]'],
    ['a broken record', '[{"a":01}]'],
    ['a key without quotes', '{services: []}'],
    ['text after the value', '[{"a":1}] x'],
    ['an unterminated string', '[{"a":"b}]'],
  ])('refuses %s', async (_case, text) => {
    await expect(split(text, ['services'], 2)).rejects.toBeInstanceOf(MalformedJson);
  });
});
