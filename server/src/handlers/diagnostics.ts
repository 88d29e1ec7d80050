import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver';
import { LineIndex, ruleDocsUrl, ignoreFileFix, ignoreStatementFix } from '../../../core/src';
import type { LintResult, Finding, Fix, Severity } from '../../../core/src';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { DiagnosticData, FixData } from './diagnostic-data';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toFixData(doc: TextDocument, fix: Fix): FixData {
  return {
    title: fix.title,
    edits: fix.edits.map((e) => ({ range: { start: doc.positionAt(e.start), end: doc.positionAt(e.end) }, newText: e.newText })),
    createFiles: fix.createFiles,
  };
}

/** The two suppression fixes of a finding: for its statement (or Prisma declaration) and for the file. */
export type Suppressions = (f: Finding) => { local?: Fix; file?: Fix };

/** Suppressions in a SQL file: `-- pgvet-ignore` before the statement, `-- pgvet-ignore-file` at the top. */
export function sqlSuppressions(result: LintResult): Suppressions {
  return (f) => ({
    local: f.statementIndex !== undefined ? ignoreStatementFix(result.file, f.ruleId, f.statementIndex, result.directives) : undefined,
    file: ignoreFileFix(result.file, f.ruleId, result.directives),
  });
}

/** A file's text as the workspace has it (see Workspace.textOf): the offsets of the catalog refer to it. */
export type TextOf = (path: string) => string | undefined;

const lineIndexes = new Map<string, { text: string; index: LineIndex }>();

/** A schema problem shown on a Prisma model: where the migration that created the object is. */
function introducedBy(f: Finding, textOf: TextOf): DiagnosticRelatedInformation[] | undefined {
  const at = f.introducedBy;
  const text = at && textOf(at.file);
  if (!at || text === undefined) return undefined;
  let hit = lineIndexes.get(at.file);
  if (!hit || hit.text !== text) {
    hit = { text, index: new LineIndex(text) };
    lineIndexes.set(at.file, hit);
  }
  const range = { start: hit.index.positionAt(at.start), end: hit.index.positionAt(at.end) };
  return [{ location: { uri: pathToFileURL(at.file).toString(), range }, message: `The migration that created ${at.created}` }];
}

export function findingToDiagnostic(doc: TextDocument, suppressions: Suppressions, f: Finding, textOf: TextOf): Diagnostic {
  const ignore = f.ruleId === 'unused-ignore' ? {} : suppressions(f);
  const data: DiagnosticData = {
    ruleId: f.ruleId,
    version: doc.version,
    fix: f.fix && toFixData(doc, f.fix),
    fixSafe: f.fixSafe ?? false,
    otherFixes: f.otherFixes?.map((x) => toFixData(doc, x)),
    ignoreStatement: ignore.local && toFixData(doc, ignore.local),
    ignoreFile: ignore.file && toFixData(doc, ignore.file),
  };
  return {
    range: { start: doc.positionAt(f.start), end: doc.positionAt(f.end) },
    severity: SEVERITY[f.severity],
    source: 'pgvet',
    code: f.ruleId,
    codeDescription: { href: ruleDocsUrl(f.ruleId) },
    message: f.message,
    tags: f.ruleId === 'unused-ignore' ? [DiagnosticTag.Unnecessary] : undefined,
    relatedInformation: introducedBy(f, textOf),
    data,
  };
}
