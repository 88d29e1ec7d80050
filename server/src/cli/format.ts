import { relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ruleDocsUrl } from '../engine/docs';
import type { Severity } from '../engine/types';
import { RULES } from '../rules';
import type { FileReport } from './lint-files';

export const SEVERITY_RANK: Record<Severity, number> = { hint: 0, info: 1, warning: 2, error: 3 };

export function summarize(reports: FileReport[]) {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const r of reports) for (const f of r.findings) counts[f.severity]++;
  return { files: reports.length, ...counts, failed: reports.filter((r) => r.error).length };
}

export function formatHuman(reports: FileReport[], cwd: string, color: boolean): string {
  const paint = (code: string, s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const sev: Record<Severity, string> = { error: paint('31', 'error'), warning: paint('33', 'warning'), info: paint('36', 'info'), hint: paint('2', 'hint') };
  const lines: string[] = [];
  for (const r of reports) {
    const name = relative(cwd, r.path) || r.path;
    if (r.error) lines.push(`${name}: ${paint('31', 'could not be checked')}: ${r.error}`);
    for (const f of r.findings) lines.push(`${name}:${f.line}:${f.column}: ${sev[f.severity]} ${f.message} ${paint('2', `[${f.ruleId}]`)}`);
  }
  const s = summarize(reports);
  lines.push(`${s.files} file${s.files === 1 ? '' : 's'} checked: ${s.error} error(s), ${s.warning} warning(s), ${s.info} info, ${s.hint} hint(s)${s.failed ? `, ${s.failed} could not be checked` : ''}.`);
  return lines.join('\n') + '\n';
}

export function formatJson(reports: FileReport[], cwd: string): string {
  return JSON.stringify(
    {
      version: process.env.PGVET_VERSION ?? 'dev',
      summary: summarize(reports),
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
export function formatSarif(reports: FileReport[], cwd: string): string {
  const rules = RULES.map((r) => ({
    id: r.id,
    name: r.id.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase()),
    shortDescription: { text: r.meta.description },
    helpUri: ruleDocsUrl(r.id),
    defaultConfiguration: { level: r.meta.defaultSeverity === 'off' ? 'none' : SARIF_LEVEL[r.meta.defaultSeverity], enabled: r.meta.defaultSeverity !== 'off' },
  }));
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const results = reports.flatMap((r) =>
    r.findings.map((f) => ({
      ruleId: f.ruleId,
      ruleIndex: index.get(f.ruleId),
      level: SARIF_LEVEL[f.severity],
      message: { text: f.message },
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
          invocations: [{ executionSuccessful: notifications.length === 0, toolExecutionNotifications: notifications }],
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
export function formatGithub(reports: FileReport[], cwd: string): string {
  const lines: string[] = [];
  for (const r of reports) {
    const file = githubProperty((relative(cwd, r.path) || r.path).split('\\').join('/'));
    if (r.error) lines.push(`::error file=${file},title=${githubProperty('pgvet: could not be checked')}::${githubData(r.error)}`);
    for (const f of r.findings) {
      const where = `file=${file},line=${f.line},col=${f.column},endLine=${f.endLine},endColumn=${f.endColumn}`;
      lines.push(`::${GITHUB_LEVEL[f.severity]} ${where},title=${githubProperty(`pgvet ${f.ruleId}`)}::${githubData(`${f.message} (${ruleDocsUrl(f.ruleId)})`)}`);
    }
  }
  const s = summarize(reports);
  lines.push(`pgvet: ${s.files} file(s) checked: ${s.error} error(s), ${s.warning} warning(s), ${s.info} info, ${s.hint} hint(s)${s.failed ? `, ${s.failed} could not be checked` : ''}.`);
  return lines.join('\n') + '\n';
}
