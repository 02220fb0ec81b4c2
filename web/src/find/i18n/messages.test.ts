import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { interfaceLanguages } from './languages';
import type { Messages } from '../../i18n/translate';

const here = path.dirname(fileURLToPath(import.meta.url));
const finderDir = path.join(here, '..');
const read = (code: string) =>
  JSON.parse(fs.readFileSync(path.join(here, 'messages', `${code}.json`), 'utf8')) as Messages;

const PLURAL = new Set(['zero', 'one', 'two', 'few', 'many', 'other']);

/** Every message's key path; a plural message counts as one key, whatever forms the language has. */
function keyPaths(messages: Messages, prefix = ''): Map<string, string[]> {
  const paths = new Map<string, string[]>();
  for (const [key, value] of Object.entries(messages)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') paths.set(name, [value]);
    else if (Object.keys(value).every((form) => PLURAL.has(form))) {
      paths.set(name, Object.values(value) as string[]);
    } else for (const [inner, texts] of keyPaths(value, name)) paths.set(inner, texts);
  }
  return paths;
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(svelte|ts)$/.test(entry.name) && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

describe('finder message files', () => {
  const english = keyPaths(read('en'));

  it('has a message file for every interface language', () => {
    for (const language of interfaceLanguages) {
      expect(fs.existsSync(path.join(here, 'messages', `${language.code}.json`)), language.code).toBe(true);
    }
  });

  it.each(interfaceLanguages.map((language) => language.code))(
    '%s has every English message, with the same placeholders',
    (code) => {
      const translated = keyPaths(read(code));
      expect([...translated.keys()].sort()).toEqual([...english.keys()].sort());
      for (const [key, texts] of english) {
        const expected = placeholders(texts[texts.length - 1]!).filter((name) => name !== 'count');
        for (const text of translated.get(key) ?? []) {
          for (const name of expected) expect(placeholders(text), `${code} ${key}`).toContain(name);
        }
      }
    },
  );

  it('every message key the finder uses exists in English', () => {
    const used = new Set<string>();
    for (const file of sourceFiles(finderDir)) {
      const source = fs.readFileSync(file, 'utf8');
      for (const match of source.matchAll(/\bt\(\s*'([a-zA-Z.]+)'/g)) used.add(match[1]!);
    }
    expect(used.size).toBeGreaterThan(30);
    const missing = [...used].filter((key) => !english.has(key));
    expect(missing).toEqual([]);
  });
});

describe('messages named from data', () => {
  const english = keyPaths(read('en'));

  it('has a label for every need, audience, category and place problem', async () => {
    const { finderAudiences, needIds } = await import('#contract/taxonomy/needs.js');
    const { categoryIds } = await import('#contract/taxonomy/categories.js');
    const keys = [
      ...needIds.map((id) => `need.${id}`),
      ...finderAudiences.map((id) => `audience.${id}`),
      ...categoryIds.map((id) => `category.${id}`),
      ...['denied', 'unavailable', 'unsupported'].map((problem) => `place.${problem}`),
    ];
    expect(keys.filter((key) => !english.has(key))).toEqual([]);
  });
});
