import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import prettier from 'prettier';

const reportHeader = `# Benchmarks

Results of the benchmarks in \`scripts/bench\` (see its README). Each section is written by its own
script between \`<!-- bench:NAME:start -->\` and \`<!-- bench:NAME:end -->\` markers; re-running a
benchmark replaces its section only.
`;

function markers(name: string) {
  return { start: `<!-- bench:${name}:start -->`, end: `<!-- bench:${name}:end -->` };
}

/**
 * Writes one benchmark's section into the report, replacing the previous run's
 * section and leaving every other benchmark's section as it was. The file is
 * formatted with the repository's Prettier settings, which CI checks.
 */
export async function writeReportSection(reportFile: string, name: string, markdown: string): Promise<void> {
  const { start, end } = markers(name);
  const section = `${start}\n${markdown.trim()}\n${end}`;
  const current = fs.existsSync(reportFile) ? fs.readFileSync(reportFile, 'utf8') : reportHeader;
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  let next: string;
  if (from !== -1 && to > from) {
    next = current.slice(0, from) + section + current.slice(to + end.length);
  } else {
    next = `${current.trimEnd()}\n\n${section}\n`;
  }
  const options = (await prettier.resolveConfig(reportFile)) ?? {};
  fs.mkdirSync(path.dirname(reportFile), { recursive: true });
  fs.writeFileSync(reportFile, await prettier.format(next, { ...options, filepath: reportFile }));
}

export interface MachineDescription {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  platform: string;
}

export function describeMachine(): MachineDescription {
  return {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
  };
}
