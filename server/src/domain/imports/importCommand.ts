import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { resolveAllianceId } from '../alliances/allianceRepository.js';
import { categoryIds } from '#contract/taxonomy/categories.js';
import type { ImportFileStore } from './importFiles.js';
import { claimCommit, createImportJob, findImportJob, type ImportChoices, updateImportJob } from './importJobs.js';
import { commitImport, type ImportDependencies, readImport } from './importPipeline.js';
import { ImportFileError, importFormats, type ImportFormat } from './importRecord.js';

export const importUsage = `Usage: npm run import -- --alliance <slug> [--format F] [--source NAME] [--default-category C]
                         [--archive-gone] [--dry-run] <file…>
  --format            ${importFormats.join(', ')} (guessed when absent)
  --source            the source's name, the same at every re-import (default: the first file's name)
  --default-category  ${categoryIds.join(', ')}: for records whose terms map to no category
  --archive-gone      archive (status inactive) the services of this source the files no longer have
  --dry-run           print the preview and write nothing
Exit code: 0 committed (or previewed with --dry-run), 1 refused, 2 usage.`;

export interface CommandOutput {
  log(line: string): void;
  error(line: string): void;
}

interface CommandOptions {
  alliance: string;
  format?: ImportFormat;
  source?: string;
  defaultCategory?: (typeof categoryIds)[number];
  archiveGone: boolean;
  dryRun: boolean;
  files: string[];
}

/** The command's arguments, or the sentence saying what is wrong with them. */
export function parseImportArguments(argv: string[]): CommandOptions | string {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        alliance: { type: 'string' },
        format: { type: 'string' },
        source: { type: 'string' },
        'default-category': { type: 'string' },
        'archive-gone': { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    return (error as Error).message;
  }
  const { values, positionals } = parsed;
  if (!values.alliance) return 'Name the alliance with --alliance <slug>.';
  if (positionals.length === 0) return 'Name at least one file to import.';
  if (values.format !== undefined && !importFormats.includes(values.format as ImportFormat)) {
    return `Unknown format "${values.format}".`;
  }
  const category = values['default-category'];
  if (category !== undefined && !categoryIds.includes(category as (typeof categoryIds)[number])) {
    return `Unknown category "${category}".`;
  }
  return {
    alliance: values.alliance,
    format: values.format as ImportFormat | undefined,
    source: values.source,
    defaultCategory: category as CommandOptions['defaultCategory'],
    archiveGone: values['archive-gone'] ?? false,
    dryRun: values['dry-run'] ?? false,
    files: positionals,
  };
}

/**
 * `npm run import`: the same pipeline as the routes, on files of this machine — preview printed, then commit
 * unless --dry-run. Returns the exit code.
 */
export async function runImportCommand(
  argv: string[],
  deps: ImportDependencies & { files: ImportFileStore },
  out: CommandOutput,
): Promise<number> {
  const options = parseImportArguments(argv);
  if (typeof options === 'string') {
    out.error(options);
    out.error(importUsage);
    return 2;
  }
  const db: Kysely<Database> = deps.db;
  const allianceId = await resolveAllianceId(db, options.alliance);
  if (!allianceId) {
    out.error(`There is no alliance "${options.alliance}".`);
    return 1;
  }
  const folder = await deps.files.newUploadFolder();
  const files = [];
  for (const [index, file] of options.files.entries()) {
    const target = path.join(folder, `${index}`);
    try {
      await fs.copyFile(file, target);
    } catch {
      await deps.files.remove(folder);
      out.error(`The file ${file} cannot be read.`);
      return 1;
    }
    files.push({ path: target, name: path.basename(file) });
  }
  const choices: ImportChoices = {
    ...(options.format ? { format: options.format } : {}),
    ...(options.defaultCategory ? { defaultCategory: options.defaultCategory } : {}),
    archiveGone: options.archiveGone ? 'all' : 'none',
  };
  const id = randomUUID();
  const adopted = await deps.files.adopt(folder, id, files);
  let reader;
  try {
    reader = await deps.openReader(adopted, choices);
  } catch (error) {
    await deps.files.remove(id);
    if (!(error instanceof ImportFileError)) throw error;
    out.error(error.message);
    return 1;
  }
  await createImportJob(db, {
    id,
    allianceId,
    sourceName: options.source ?? (path.parse(files[0]!.name).name || 'Import'),
    accountId: null,
    fileNames: files.map((file) => file.name),
    choices,
  });
  await updateImportJob(db, id, { format: reader.format });
  await readImport(deps, id, allianceId, (error) => out.error(String(error)), reader);
  const preview = (await findImportJob(db, allianceId, id))!;
  if (preview.status !== 'preview') {
    out.error(`The files could not be read: ${preview.error}`);
    return 1;
  }
  const counts = preview.counts!;
  out.log(
    `Preview of ${preview.fileNames.join(', ')} (${preview.format}, source “${preview.source.name}”): ` +
      `${counts.organizations} organisations, ${counts.services} services, ${counts.locations} locations; ` +
      `${counts.new} new, ${counts.updated} updated, ${counts.unchanged} unchanged, ${counts.gone} gone, ` +
      `${counts.errors} with errors, ${counts.warnings} with warnings, ${counts.duplicates} possible duplicates, ` +
      `${counts.needsPlace} needing a place, ${counts.conflicts} local edits kept.`,
  );
  if (options.dryRun) {
    await updateImportJob(db, id, { status: 'discarded' }, ['preview']);
    await db.deleteFrom('import_row').where('job_id', '=', id).execute();
    await deps.files.remove(id);
    out.log('Dry run: nothing was written.');
    return 0;
  }
  const claim = await claimCommit(db, id);
  if (!claim.claimed) {
    out.error(
      claim.busyWith
        ? `Another import of this alliance (${claim.busyWith}) is being written: try again when it ends.`
        : 'The import could not be committed.',
    );
    return 1;
  }
  await commitImport(deps, preview, { accountId: null, allianceId }, (error) => out.error(String(error)));
  const done = (await findImportJob(db, allianceId, id))!;
  if (done.status !== 'committed') {
    out.error(done.error ?? 'The import could not be committed.');
    return 1;
  }
  const report = done.report!;
  out.log(
    `Committed as change set ${report.changeSet}: ${report.created} created, ${report.updated} updated, ` +
      `${report.archived} archived, ${report.skipped} skipped, ${report.errors} left out for errors. ` +
      `Import ${id}.`,
  );
  return 0;
}
