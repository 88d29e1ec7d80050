import { loadModule, parseSync } from 'libpg-query';
import type { Node } from '@pgsql/types';
import { splitStatements, type Comment, type MetaCommand, type RawStatement, type Span } from './lexer';
import { codePointToUtf16, offsetMapFor, type OffsetMap } from './offsets';

export type { Node };

/** What kind of thing a statement-shaped chunk of the file turned out to be. */
export type StatementStatus =
  | 'ok'
  /** PostgreSQL's grammar rejects it: `error` says why and where. */
  | 'syntax-error'
  /** Uses psql variables (`:name`), so it is not SQL until psql substitutes them. */
  | 'psql-variables'
  /** Contains Go-template placeholders (`{{ … }}`). */
  | 'templated';

export interface ParseError {
  message: string;
  /** UTF-16 offset into the file where PostgreSQL stopped. */
  offset: number;
}

export interface SqlStatement extends Span {
  index: number;
  status: StatementStatus;
  /** The statement node, e.g. `{ CreateStmt: {...} }`; absent unless status is `ok`. */
  ast?: Node;
  error?: ParseError;
  terminated: boolean;
  /** Converts a `location` from this statement's AST (a UTF-8 byte offset) into a file UTF-16 offset. */
  toFileOffset(location: number): number;
}

export interface SqlFile {
  text: string;
  statements: SqlStatement[];
  comments: Comment[];
  metaCommands: MetaCommand[];
  copyData: Span[];
  /** The file contains Go-template placeholders: it is a template, not SQL. */
  templated: boolean;
}

let ready: Promise<void> | undefined;

/** Loads the WASM parser once; every parse function below needs it to have resolved. */
export function initParser(): Promise<void> {
  ready ??= loadModule();
  return ready;
}

interface PgParseError extends Error {
  sqlDetails?: { message: string; cursorPosition: number };
}

/** The text PostgreSQL sees: psql meta-commands and COPY data replaced by spaces (UTF-16 length kept). */
function blank(text: string, spans: Span[]): string {
  if (spans.length === 0) return text;
  let out = '';
  let at = 0;
  for (const s of spans) {
    out += text.slice(at, s.start) + text.slice(s.start, s.end).replace(/[^\n]/g, ' ');
    at = s.end;
  }
  return out + text.slice(at);
}

export function parseSqlFile(text: string): SqlFile {
  const split = splitStatements(text);
  const blanks = [...split.metaCommands, ...split.copyData].sort((a, b) => a.start - b.start);
  const sqlText = blank(text, blanks);
  const templated = split.statements.some((s) => s.templated);
  const statements = wholeFileParse(sqlText, split.statements) ?? split.statements.map((raw, index) => parseOne(sqlText, raw, index));
  return { text, statements, comments: split.comments, metaCommands: split.metaCommands, copyData: split.copyData, templated };
}

/**
 * Fast path: one parser call for the whole file, matched to the split statements by position.
 * Returns undefined when the file has an error or the two splits disagree, so each statement is parsed alone.
 */
function wholeFileParse(sqlText: string, raws: RawStatement[]): SqlStatement[] | undefined {
  let result;
  try {
    result = parseSync(sqlText);
  } catch {
    return undefined;
  }
  const stmts = result.stmts ?? [];
  // PostgreSQL drops empty statements (a lone ';'), so they are matched to nothing.
  let nonEmpty = 0;
  for (const raw of raws) if (!isEmpty(sqlText, raw)) nonEmpty++;
  if (stmts.length !== nonEmpty) return undefined;
  const map = offsetMapFor(sqlText);
  const toFileOffset = (loc: number) => map.toUtf16(loc);
  const out: SqlStatement[] = [];
  let j = 0;
  for (let k = 0; k < raws.length; k++) {
    const raw = raws[k];
    const base = { index: k, start: raw.start, end: raw.end, terminated: raw.terminated, status: 'ok' as const, toFileOffset };
    if (isEmpty(sqlText, raw)) {
      out.push(base);
      continue;
    }
    const at = map.toUtf16(stmts[j].stmt_location ?? 0);
    if (at < raw.start || at >= raw.end) return undefined;
    out.push({ ...base, ast: stmts[j++].stmt });
  }
  return out;
}

/** A lone `;`: the splitter starts a statement at its first token, so an empty one is just its terminator. */
function isEmpty(sqlText: string, raw: RawStatement): boolean {
  return raw.terminated && raw.end - raw.start === 1 && sqlText.charCodeAt(raw.start) === 59;
}

function parseOne(sqlText: string, raw: RawStatement, index: number): SqlStatement {
  const body = sqlText.slice(raw.start, raw.end);
  const base = { index, start: raw.start, end: raw.end, terminated: raw.terminated };
  let map: OffsetMap | undefined;
  const toFileOffset = (loc: number) => raw.start + (map ??= offsetMapFor(body)).toUtf16(loc);
  if (isEmpty(sqlText, raw)) return { ...base, status: 'ok', toFileOffset }; // nothing to parse (a million of them took 30 s)
  try {
    const result = parseSync(body);
    const stmt = result.stmts?.[0];
    if (!stmt) return { ...base, status: 'ok', toFileOffset }; // only a bare ';'
    return { ...base, status: 'ok', ast: stmt.stmt, toFileOffset };
  } catch (e) {
    const err = e as PgParseError;
    const status: StatementStatus = raw.templated ? 'templated' : raw.psqlVariables ? 'psql-variables' : 'syntax-error';
    const message = err.sqlDetails?.message ?? err.message ?? String(e);
    const cursor = err.sqlDetails?.cursorPosition;
    const offset = cursor === undefined || cursor < 0 ? raw.start : raw.start + codePointToUtf16(body, cursor);
    return { ...base, status, error: { message, offset }, toFileOffset };
  }
}
