import type { SqlFile } from '../parse/sql/parser';
import { findIgnoreDirectives, type IgnoreDirective } from './ignores';
import type { Fix } from '../rule-kit/types';

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function indentAt(text: string, at: number): string {
  return /^[ \t]*/.exec(text.slice(at))![0];
}

/** "Ignore <rule> for this statement": extend a directive right above the statement, or add one. */
export function ignoreStatementFix(file: SqlFile, ruleId: string, statementIndex: number, directives: IgnoreDirective[] = findIgnoreDirectives(file)): Fix {
  const stmt = file.statements[statementIndex];
  const existing = directives.find(
    (d) => d.scope === 'statement' && d.statementIndex === statementIndex && d.comment.kind === 'line' && d.rules.length > 0 && d.comment.end <= stmt.start,
  );
  const title = `Ignore ${ruleId} for this statement`;
  if (existing) {
    const last = existing.rules[existing.rules.length - 1];
    return { title, edits: [{ start: last.end, end: last.end, newText: `, ${ruleId}` }] };
  }
  const at = lineStart(file.text, stmt.start);
  const prefix = file.text.slice(at, stmt.start);
  if (prefix.trim() !== '') {
    // Something else shares the line: put the comment on its own line just before the statement.
    return { title, edits: [{ start: stmt.start, end: stmt.start, newText: `\n-- pgvet-ignore ${ruleId}\n` }] };
  }
  return { title, edits: [{ start: at, end: at, newText: `${indentAt(file.text, at)}-- pgvet-ignore ${ruleId}\n` }] };
}

/** "Ignore <rule> for this file": extend the file's directive, or add one on the first line. */
export function ignoreFileFix(file: SqlFile, ruleId: string, directives: IgnoreDirective[] = findIgnoreDirectives(file)): Fix {
  const title = `Ignore ${ruleId} for this file`;
  const existing = directives.find((d) => d.scope === 'file' && d.comment.kind === 'line' && d.rules.length > 0);
  if (existing) {
    const last = existing.rules[existing.rules.length - 1];
    return { title, edits: [{ start: last.end, end: last.end, newText: `, ${ruleId}` }] };
  }
  return { title, edits: [{ start: 0, end: 0, newText: `-- pgvet-ignore-file ${ruleId}\n` }] };
}
