import { splitStatements } from '../../parse/sql/lexer';

/**
 * How many statements PostgreSQL sees when `text` is sent as one query string. Comments and empty `;` are not
 * statements (the grammar drops them), so a file whose only statement is surrounded by comments counts as one.
 */
export function countStatements(text: string): number {
  return splitStatements(text).statements.filter((s) => text.slice(s.start, s.end).replace(/;\s*$/, '').trim() !== '').length;
}

/**
 * PostgreSQL runs a query string of several statements (simple query protocol) as one implicit transaction block,
 * and a string of one statement outside any block: CONCURRENTLY works in the latter and fails in the former.
 */
export function oneQueryStringContext(tool: string, text: string, aside = '') {
  return countStatements(text) > 1
    ? { transactional: true, transactionReason: `${tool} as one query string${aside}, and PostgreSQL runs a query string of several statements as one implicit transaction` }
    : { transactional: false, transactionReason: `${tool} as one query string${aside}, and PostgreSQL runs a string of a single statement outside any transaction block` };
}
