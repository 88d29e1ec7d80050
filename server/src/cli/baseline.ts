import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BASELINE_FILE, formatBaseline, judgeable, parseBaseline, projectRelative, fingerprint, isObjectKey, reportsOnApplied, ruleById } from '../../../core/src';
import type { BaselineEntry } from '../../../core/src';
import type { FileReport, ReportedFinding } from './lint-files';

export type BaselineMode = 'use' | 'write' | 'off';

export interface StaleEntry {
  baseline: string;
  entry: BaselineEntry;
}

/** What the baseline did in this run, for the summary of every output format. */
export interface BaselineSummary {
  mode: BaselineMode;
  /** The baseline files read or written. */
  files: string[];
  /** Findings left out because a baseline lists them. */
  hidden: number;
  /** Entries of a baseline that no finding matches any more: fixed, so the entry should go. */
  stale: StaleEntry[];
  /** Entries written per file (`--write-baseline`). */
  written: { path: string; count: number }[];
  /** Baseline files that could not be read (not used). */
  problems: string[];
}

export type FingerprintedFinding = ReportedFinding & { fingerprint: string };
export type FingerprintedReport = Omit<FileReport, 'findings'> & { findings: FingerprintedFinding[] };

function entryOf(f: FingerprintedFinding, file: string, schema: string | undefined): BaselineEntry {
  return { fingerprint: f.fingerprint, rule: f.ruleId, ...(isObjectKey(f.key) ? { schema: schema ?? '' } : { file }), where: f.where };
}

/**
 * Gives every finding its fingerprint, then per project folder (`rootOf`) reads pgvet-baseline.json and hides the
 * findings it lists (`use`), writes it from this run's findings (`write`: entries this run cannot judge are kept),
 * or leaves it alone (`off`).
 */
export function applyBaselines(reports: FileReport[], rootOf: (path: string) => string, mode: BaselineMode): { reports: FingerprintedReport[]; summary: BaselineSummary } {
  const summary: BaselineSummary = { mode, files: [], hidden: 0, stale: [], written: [], problems: [] };
  const byRoot = new Map<string, { reports: FingerprintedReport[]; linted: Set<string>; applied: Set<string>; schemaHomes: Set<string> }>();
  const out = reports.map((r): FingerprintedReport => {
    const root = rootOf(r.path);
    const rel = projectRelative(root, r.path);
    const home = r.schemaHome === undefined ? undefined : projectRelative(root, r.schemaHome);
    const report = { ...r, findings: r.findings.map((f) => ({ ...f, fingerprint: fingerprint(f.ruleId, f.key, isObjectKey(f.key) ? home ?? '' : rel) })) };
    const group = byRoot.get(root) ?? { reports: [], linted: new Set<string>(), applied: new Set<string>(), schemaHomes: new Set<string>() };
    byRoot.set(root, group);
    group.reports.push(report);
    group.linted.add(rel);
    if (r.applied) group.applied.add(rel);
    // A file that could not be checked says nothing about its entries.
    if (r.error) group.linted.delete(rel);
    if (home !== undefined && !r.error) group.schemaHomes.add(home);
    return report;
  });
  if (mode === 'off') return { reports: out, summary };
  for (const [root, group] of byRoot) {
    const path = join(root, BASELINE_FILE);
    let entries: BaselineEntry[] = [];
    if (existsSync(path)) {
      const parsed = parseBaseline(readFileSync(path, 'utf8'));
      if (parsed.problem) summary.problems.push(`${path}: ${parsed.problem}`);
      entries = parsed.entries;
      if (!parsed.problem) summary.files.push(path);
    } else if (mode === 'use') continue;
    const listed = new Set(entries.map((e) => e.fingerprint));
    const found = new Set<string>();
    for (const r of group.reports) {
      const rel = projectRelative(root, r.path);
      const home = r.schemaHome === undefined ? undefined : projectRelative(root, r.schemaHome);
      for (const f of r.findings) found.add(f.fingerprint);
      if (mode === 'write') {
        entries.push(...r.findings.map((f) => entryOf(f, rel, home)));
        summary.hidden += r.findings.length;
        r.findings = [];
        continue;
      }
      const kept = r.findings.filter((f) => !listed.has(f.fingerprint));
      summary.hidden += r.findings.length - kept.length;
      r.findings = kept;
    }
    // On an applied migration only the rules that report on applied ones ran: a baseline written without --since keeps its other entries.
    const ran = (e: BaselineEntry) => e.file === undefined || !group.applied.has(e.file) || reportsOnApplied(ruleById(e.rule) ?? { meta: { category: 'safety' } } as never);
    const judged = (e: BaselineEntry) => judgeable(e, group.linted, group.schemaHomes) && ran(e);
    if (mode === 'write') {
      // Entries this run judged and did not find are fixed: they go. The others stay as they were.
      const next = entries.filter((e) => !judged(e) || found.has(e.fingerprint));
      writeFileSync(path, formatBaseline(next));
      if (!summary.files.includes(path)) summary.files.push(path);
      summary.written.push({ path, count: new Set(next.map((e) => e.fingerprint)).size });
      continue;
    }
    for (const entry of entries) if (judged(entry) && !found.has(entry.fingerprint)) summary.stale.push({ baseline: path, entry });
  }
  return { reports: out, summary };
}

/** The summary lines about the baseline (empty when none was used). */
export function baselineLines(s: BaselineSummary, show: (path: string) => string): string[] {
  const lines: string[] = [];
  for (const p of s.problems) lines.push(`pgvet: ${p} (not used)`);
  for (const w of s.written) lines.push(`Wrote ${w.count} finding(s) to ${show(w.path)}.`);
  if (s.mode === 'use' && s.files.length) lines.push(`${s.hidden} finding(s) hidden by ${s.files.map(show).join(', ')} (--no-baseline shows them).`);
  for (const { baseline, entry } of s.stale) {
    lines.push(`${show(baseline)}: baseline entry no longer occurs, remove it: ${entry.rule} ${entry.file ?? entry.schema ?? ''}: ${entry.where} [${entry.fingerprint}]`);
  }
  if (s.stale.length) lines.push(`${s.stale.length} baseline entr${s.stale.length === 1 ? 'y no longer occurs' : 'ies no longer occur'}: pgvet lint --write-baseline removes ${s.stale.length === 1 ? 'it' : 'them'}.`);
  return lines;
}
