import { splitStatements } from '../parse/sql/lexer';

export interface StatementText {
  text: string;
  /** UTF-16 offset of `text` in the document. */
  start: number;
}

/**
 * The SQL to explain: the selection when there is one, otherwise the statement under the cursor
 * (or the one just before it, when the cursor sits after its semicolon), without its ';'.
 */
export function statementAt(documentText: string, selectionStart: number, selectionEnd: number): StatementText | undefined {
  if (selectionEnd > selectionStart) {
    const raw = documentText.slice(selectionStart, selectionEnd);
    const lead = raw.length - raw.trimStart().length;
    const text = raw.trim().replace(/;\s*$/, '');
    return text ? { text, start: selectionStart + lead } : undefined;
  }
  const { statements } = splitStatements(documentText);
  let best = statements.find((s) => selectionStart >= s.start && selectionStart <= s.end);
  if (!best) best = [...statements].reverse().find((s) => s.end <= selectionStart);
  if (!best) return undefined;
  const text = documentText.slice(best.start, best.end).replace(/;\s*$/, '');
  return { text, start: best.start };
}

/** Statements a code lens is shown above: those EXPLAIN can take (the safety check decides later). */
export function explainableStatements(documentText: string): StatementText[] {
  return splitStatements(documentText)
    .statements.map((s) => ({ text: documentText.slice(s.start, s.end), start: s.start }))
    .filter((s) => /^\s*(\(\s*)*(select|with|insert|update|delete|values|table|merge)\b/i.test(s.text));
}
