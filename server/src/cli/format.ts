import { relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ruleDocsUrl, RULES } from '../../../core/src';
import type { Severity } from '../../../core/src';
import type { FileReport } from './lint-files';
import { baselineLines, type BaselineSummary } from './baseline';

/** A report whose findings may carry their fingerprint (see cli/baseline.ts). */
type Reports = (Omit<FileReport, 'findings'> & { findings: (FileReport['findings'][number] & { fingerprint?: string })[] })[];

export const SEVERITY_RANK: Record<Severity, number> = { hint: 0, info: 1, warning: 2, error: 3 };

export function summarize(reports: Reports) {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const r of reports) for (const f of r.findings) counts[f.severity]++;
  return { files: reports.length, ...counts, failed: reports.filter((r) => r.error).length };
}

export function formatHuman(reports: Reports, cwd: string, color: boolean, baseline?: BaselineSummary): string {
  const paint = (code: string, s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const sev: Record<Severity, string> = { error: paint('31', 'error'), warning: paint('33', 'warning'), info: paint('36', 'info'), hint: paint('2', 'hint') };
  const lines: string[] = [];
  for (const r of reports) {
    const name = relative(cwd, r.path) || r.path;
    if (r.error) lines.push(`${name}: ${paint('31', 'could not be checked')}: ${r.error}`);
    for (const f of r.findings) {
      lines.push(`${name}:${f.line}:${f.column}: ${sev[f.severity]} ${f.message} ${paint('2', `[${f.ruleId}]`)}`);
      if (f.introducedAt) {
        const where = `${relative(cwd, f.introducedAt.path) || f.introducedAt.path}:${f.introducedAt.line}`;
        lines.push(`  ${paint('2', f.introducedAt.created === 'it' ? `introduced by ${where}` : `${f.introducedAt.created} created by ${where}`)}`);
      }
    }
  }
  if (baseline) lines.push(...baselineLines(baseline, (p) => relative(cwd, p) || p));
  const s = summarize(reports);
  lines.push(`${s.files} file${s.files === 1 ? '' : 's'} checked: ${s.error} error(s), ${s.warning} warning(s), ${s.info} info, ${s.hint} hint(s)${s.failed ? `, ${s.failed} could not be checked` : ''}.`);
  return lines.join('\n') + '\n';
}

export function formatJson(reports: Reports, cwd: string, baseline?: BaselineSummary): string {
  return JSON.stringify(
    {
      version: process.env.PGVET_VERSION ?? 'dev',
      summary: summarize(reports),
      ...(baseline ? {
        baseline: {
          files: baseline.files.map((p) => relative(cwd, p) || p),
          hidden: baseline.hidden,
          stale: baseline.stale.map((s) => ({ baseline: relative(cwd, s.baseline) || s.baseline, ...s.entry })),
          ...(baseline.written.length ? { written: baseline.written.map((w) => ({ path: relative(cwd, w.path) || w.path, count: w.count })) } : {}),
          ...(baseline.problems.length ? { problems: baseline.problems } : {}),
        },
      } : {}),
      files: reports.map((r) => ({
        path: relative(cwd, r.path) || r.path,
        ...(r.error ? { error: r.error } : {}),
        ...(r.encoding ? { encoding: r.encoding } : {}),
        findings: r.findings.map((f) => ({
          ruleId: f.ruleId,
          severity: f.severity,
          message: f.message,
          line: f.line,
          column: f.column,
          endLine: f.endLine,
          endColumn: f.endColumn,
          ...(f.fingerprint ? { fingerprint: f.fingerprint } : {}),
          ...(f.object ? { object: f.object } : {}),
          ...(f.introducedAt ? { introducedBy: { path: relative(cwd, f.introducedAt.path) || f.introducedAt.path, line: f.introducedAt.line } } : {}),
          ...(f.fix ? { fix: { title: f.fix.title, safe: f.fixSafe ?? false, edits: f.fix.edits } } : {}),
        })),
      })),
    },
    null,
    2,
  ) + '\n';
}

const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

/** SARIF 2.1.0 as GitHub code scanning and other tools load it; columns are UTF-16 code units, 1-based. */
export function formatSarif(reports: Reports, cwd: string, baseline?: BaselineSummary): string {
  const rules = RULES.map((r) => ({
    id: r.id,
    name: r.id.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase()),
    shortDescription: { text: r.meta.description },
    helpUri: r.meta.docsUrl,
    defaultConfiguration: { level: r.meta.defaultSeverity === 'off' ? 'none' : SARIF_LEVEL[r.meta.defaultSeverity], enabled: r.meta.defaultSeverity !== 'off' },
  }));
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const results = reports.flatMap((r) =>
    r.findings.map((f) => ({
      ruleId: f.ruleId,
      ruleIndex: index.get(f.ruleId),
      level: SARIF_LEVEL[f.severity],
      message: { text: f.message },
      // Code scanning matches results across runs by these, not by line (see engine/fingerprint.ts).
      ...(f.fingerprint ? { partialFingerprints: { 'pgvetFingerprint/v1': f.fingerprint } } : {}),
      ...(f.introducedAt ? {
        relatedLocations: [{
          id: 1,
          message: { text: `the migration that created ${f.introducedAt.created === 'it' ? 'the object' : f.introducedAt.created}` },
          physicalLocation: { artifactLocation: { uri: relative(cwd, f.introducedAt.path).split('\\').join('/'), uriBaseId: '%SRCROOT%' }, region: { startLine: f.introducedAt.line } },
        }],
      } : {}),
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: relative(cwd, r.path).split('\\').join('/'), uriBaseId: '%SRCROOT%' },
            region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
          },
        },
      ],
    })),
  );
  const notifications = reports
    .filter((r) => r.error)
    .map((r) => ({ level: 'error', message: { text: `${relative(cwd, r.path)}: ${r.error}` } }));
  const baselineNotes = (baseline?.stale ?? []).map((s) => ({
    level: 'warning',
    message: { text: `${relative(cwd, s.baseline)}: baseline entry no longer occurs, remove it: ${s.entry.rule} ${s.entry.file ?? s.entry.schema ?? ''}: ${s.entry.where}` },
  }));
  return JSON.stringify(
    {
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: 'pgvet', version: process.env.PGVET_VERSION ?? '0.0.0', informationUri: 'https://github.com/pgvet/pgvet', rules } },
          originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(cwd.endsWith('/') ? cwd : cwd + '/').toString() } },
          columnKind: 'utf16CodeUnits',
          results,
          invocations: [{ executionSuccessful: notifications.length === 0, toolExecutionNotifications: [...notifications, ...baselineNotes] }],
        },
      ],
    },
    null,
    2,
  ) + '\n';
}

const GITHUB_LEVEL: Record<Severity, 'error' | 'warning' | 'notice'> = { error: 'error', warning: 'warning', info: 'notice', hint: 'notice' };

/** A workflow command's message: `%`, CR and LF are escaped (GitHub's toolkit does the same). */
function githubData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A workflow command's property value: the message escapes plus `:` and `,`, which end a property. */
function githubProperty(s: string): string {
  return githubData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * GitHub Actions workflow commands (`::error file=…,line=…::message`): each finding becomes an annotation on the
 * pull request's diff; paths are relative to the working directory, which is the repository root in a workflow.
 */
export function formatGithub(reports: Reports, cwd: string, baseline?: BaselineSummary): string {
  const lines: string[] = [];
  for (const r of reports) {
    const file = githubProperty((relative(cwd, r.path) || r.path).split('\\').join('/'));
    if (r.error) lines.push(`::error file=${file},title=${githubProperty('pgvet: could not be checked')}::${githubData(r.error)}`);
    for (const f of r.findings) {
      const where = `file=${file},line=${f.line},col=${f.column},endLine=${f.endLine},endColumn=${f.endColumn}`;
      lines.push(`::${GITHUB_LEVEL[f.severity]} ${where},title=${githubProperty(`pgvet ${f.ruleId}`)}::${githubData(`${f.message} (${ruleDocsUrl(f.ruleId)})`)}`);
    }
  }
  for (const st of baseline?.stale ?? []) {
    const file = githubProperty((relative(cwd, st.baseline) || st.baseline).split('\\').join('/'));
    lines.push(`::warning file=${file},title=${githubProperty('pgvet baseline')}::${githubData(`Baseline entry no longer occurs, remove it (or run pgvet lint --write-baseline): ${st.entry.rule} ${st.entry.file ?? st.entry.schema ?? ''}: ${st.entry.where}`)}`);
  }
  if (baseline) lines.push(...baselineLines({ ...baseline, stale: [] }, (p) => relative(cwd, p) || p).map((l) => `pgvet: ${l}`));
  const s = summarize(reports);
  lines.push(`pgvet: ${s.files} file(s) checked: ${s.error} error(s), ${s.warning} warning(s), ${s.info} info, ${s.hint} hint(s)${s.failed ? `, ${s.failed} could not be checked` : ''}.`);
  return lines.join('\n') + '\n';
}
