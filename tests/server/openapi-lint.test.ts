import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../server/src/config.js';
import { useTestApp } from '../support/testApp.js';

const run = promisify(execFile);
const redoclyCli = path.join(projectRoot, 'node_modules/@redocly/cli/bin/cli.js');

interface LintProblem {
  ruleId: string;
  severity: 'error' | 'warn';
  message: string;
  location: { pointer?: string }[];
}

/**
 * Redocly's verdict on a document, by its command (its package is a bundle with no Node API), with the rules of
 * the project's redocly.yaml. Every problem, warnings included, as "severity rule at pointer: message".
 */
async function redoclyProblems(documentFile: string): Promise<string[]> {
  const args = [redoclyCli, 'lint', documentFile, '--config', path.join(projectRoot, 'redocly.yaml')];
  const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' };
  let stdout: string;
  let stderr: string;
  try {
    ({ stdout, stderr } = await run(process.execPath, [...args, '--format=json', '--max-problems=100000'], { env }));
  } catch (error) {
    // Redocly exits with 1 when it found errors; its report is on stdout all the same.
    ({ stdout, stderr } = error as { stdout: string; stderr: string });
  }
  let report: { problems: LintProblem[] };
  try {
    report = JSON.parse(stdout) as { problems: LintProblem[] };
  } catch {
    throw new Error(`Redocly did not report in JSON:\n${stdout}\n${stderr}`);
  }
  return report.problems.map(
    (problem) => `${problem.severity} ${problem.ruleId} at ${problem.location[0]?.pointer}: ${problem.message}`,
  );
}

type Operation = { security?: Record<string, string[]>[]; responses: Record<string, { content?: object }> };
type OpenApiDocument = { paths: Record<string, Record<string, Operation>> };

function operations(document: OpenApiDocument) {
  return Object.entries(document.paths).flatMap(([pathTemplate, pathItem]) =>
    Object.entries(pathItem).map(([method, operation]) => ({ pathTemplate, method, operation })),
  );
}

/** A path to send for a path template: the test alliance, a token, or an id that names nothing. */
function concretePath(pathTemplate: string): string {
  const values: Record<string, string> = { idOrSlug: 'testland', slug: 'testland', token: 'no-such-token' };
  return pathTemplate.replace(
    /\{(\w+)\}/g,
    (_whole, name: string) => values[name] ?? '00000000-0000-4000-8000-000000000000',
  );
}

/*
 * The document is built from the routes' schemas and guards, which are the same whatever the database: one mode
 * (embedded, which needs no server) is enough to lint it and to check it against the answers.
 */
describe('the OpenAPI document (/docs/json)', () => {
  const context = useTestApp('embedded');
  let document: OpenApiDocument;
  let documentDir: string;

  beforeAll(() => {
    document = context.app.swagger() as unknown as OpenApiDocument;
    documentDir = fs.mkdtempSync(path.join(os.tmpdir(), 'passerelle-openapi-'));
  });
  afterAll(() => {
    if (documentDir) fs.rmSync(documentDir, { recursive: true, force: true });
  });

  it("passes Redocly's recommended rules with no error and no warning", async () => {
    const documentFile = path.join(documentDir, 'openapi.json');
    fs.writeFileSync(documentFile, JSON.stringify(document));
    expect(await redoclyProblems(documentFile)).toEqual([]);
  });

  it('is the one served at /docs/json', async () => {
    const response = await context.app.inject({ url: '/docs/json' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(JSON.parse(JSON.stringify(document)));
  });

  it('says an operation needs someone signed in only when an anonymous caller is refused with 401', async () => {
    const refusedWrongly: string[] = [];
    for (const { pathTemplate, method, operation } of operations(document)) {
      const needsCredentials = !operation.security?.some((requirement) => Object.keys(requirement).length === 0);
      if (!needsCredentials || operation.security?.length === 0) continue;
      const response = await context.app.inject({
        method: method.toUpperCase() as 'GET',
        url: concretePath(pathTemplate),
      });
      if (response.statusCode !== 401) refusedWrongly.push(`${method} ${pathTemplate} answered ${response.statusCode}`);
    }
    expect(refusedWrongly).toEqual([]);
  });

  it('names, for every answer a reader gets, its status and its real media type', async () => {
    const mismatches: string[] = [];
    const mediaTypesSeen = new Set<string>();
    for (const { pathTemplate, method, operation } of operations(document)) {
      if (method !== 'get') continue;
      const response = await context.app.inject({ url: concretePath(pathTemplate) });
      const documented = operation.responses[String(response.statusCode)];
      const mediaType = String(response.headers['content-type'] ?? '').split(';')[0]!;
      mediaTypesSeen.add(mediaType);
      if (!documented) {
        mismatches.push(`GET ${pathTemplate} answered ${response.statusCode}, which it does not document`);
      } else if (!Object.keys(documented.content ?? {}).includes(mediaType)) {
        const named = Object.keys(documented.content ?? {}).join(', ') || 'no content';
        mismatches.push(`GET ${pathTemplate} answered ${response.statusCode} as ${mediaType}; it documents ${named}`);
      }
    }
    expect(mismatches).toEqual([]);
    // The files among the answers checked: the check above is not about JSON alone.
    expect([...mediaTypesSeen]).toEqual(expect.arrayContaining(['application/geo+json', 'text/csv']));
  });
});
