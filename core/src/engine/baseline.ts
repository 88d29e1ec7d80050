import { dirname, relative, resolve } from 'node:path';

/**
 * pgvet-baseline.json: the findings a project has accepted for now (ESLint's, PHPStan's and detekt's baselines do
 * the same), so a run reports only what is new. It lives in the project's folder: beside the pgvet.json that
 * applies, else in the folder linted (the CLI) or the workspace folder (the editor). One entry per line, sorted by
 * rule, file and object, so a review sees what was accepted and a diff shows what was fixed.
 */
export const BASELINE_FILE = 'pgvet-baseline.json';

export interface BaselineEntry {
  fingerprint: string;
  rule: string;
  /** A statement finding's file, relative to the baseline's folder; absent for a schema problem (an object). */
  file?: string;
  /** A schema problem's schema home (see engine/fingerprint.ts), relative to the baseline's folder. */
  schema?: string;
  /** The object, or the statement's first words: for review only, never matched. */
  where: string;
}

export interface Baseline {
  entries: BaselineEntry[];
  /** Set when the file exists but is not a baseline pgvet can read (it is then not used). */
  problem?: string;
}

export function parseBaseline(text: string): Baseline {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { entries: [], problem: `not valid JSON: ${(e as Error).message}` };
  }
  const findings = (data as { findings?: unknown })?.findings;
  if (!Array.isArray(findings)) return { entries: [], problem: 'no "findings" list' };
  const entries: BaselineEntry[] = [];
  for (const f of findings) {
    if (typeof f?.fingerprint !== 'string' || typeof f?.rule !== 'string') return { entries: [], problem: 'an entry without "fingerprint" or "rule"' };
    entries.push({ fingerprint: f.fingerprint, rule: f.rule, ...(typeof f.file === 'string' ? { file: f.file } : {}), ...(typeof f.schema === 'string' ? { schema: f.schema } : {}), where: typeof f.where === 'string' ? f.where : '' });
  }
  return { entries };
}

const compareEntries = (a: BaselineEntry, b: BaselineEntry) =>
  a.rule.localeCompare(b.rule) || (a.file ?? a.schema ?? '').localeCompare(b.file ?? b.schema ?? '') || a.where.localeCompare(b.where) || a.fingerprint.localeCompare(b.fingerprint);

/** The file's text: sorted, one entry a line, no date (rewriting an unchanged baseline changes nothing). */
export function formatBaseline(entries: readonly BaselineEntry[]): string {
  const unique = new Map(entries.map((e) => [e.fingerprint, e]));
  const lines = [...unique.values()].sort(compareEntries).map((e) =>
    `    ${JSON.stringify({ fingerprint: e.fingerprint, rule: e.rule, ...(e.file ? { file: e.file } : {}), ...(e.schema !== undefined ? { schema: e.schema } : {}), where: e.where })}`);
  return `{\n  "version": 1,\n  "about": "Findings accepted for now: pgvet hides them and reports entries that no longer occur. Written by pgvet lint --write-baseline; delete an entry to see its finding again.",\n  "findings": [\n${lines.join(',\n')}${lines.length ? '\n' : ''}  ]\n}\n`;
}

/** The project folder of a file: the folder of the pgvet.json that applies to it, else `fallback`. */
export function projectRoot(configPath: string | undefined, fallback: string): string {
  return resolve(configPath ? dirname(configPath) : fallback);
}

/** A path relative to the project folder, with `/` (fingerprints are the same on every OS). */
export function projectRelative(root: string, path: string): string {
  return relative(root, resolve(path)).split('\\').join('/');
}

/**
 * Which entries a run is in a position to judge: a statement entry when its file was linted, a schema problem when
 * its schema's history (or Prisma schema) was (a run on one file says nothing about the rest).
 */
export function judgeable(entry: BaselineEntry, linted: ReadonlySet<string>, schemaHomes: ReadonlySet<string>): boolean {
  return entry.file !== undefined ? linted.has(entry.file) : entry.schema !== undefined && schemaHomes.has(entry.schema);
}
