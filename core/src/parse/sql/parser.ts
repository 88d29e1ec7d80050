import { loadModule, parseSync } from './libpg';
import type { Node } from '@pgsql/types';
import { splitStatements, type Comment, type MetaCommand, type RawStatement, type Span, type SplitResult } from './lexer';
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
  /**
   * The kind of `ast` (its one key, e.g. `CreateStmt`), read once: rules ask each statement for their kinds, and
   * a lookup of a kind on ASTs of a hundred shapes is V8's slowest property access.
   */
  kind?: string;
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

/** The file's text as PostgreSQL is given it (see `blank`). */
export function sqlTextOf(text: string, split: SplitResult): string {
  return blank(text, [...split.metaCommands, ...split.copyData].sort((a, b) => a.start - b.start));
}

export function parseSqlFile(text: string): SqlFile {
  const split = splitStatements(text);
  const sqlText = sqlTextOf(text, split);
  const templated = split.statements.some((s) => s.templated);
  const statements = parseStatements(sqlText, split.statements);
  return { text, statements, comments: split.comments, metaCommands: split.metaCommands, copyData: split.copyData, templated };
}

/**
 * One parser call for the whole file, matched to the split statements by position. When PostgreSQL rejects a
 * statement, the ones before it are parsed in one call, the failing one alone, and the rest of the file again in
 * chunks (smaller where the errors are dense), so one error no longer costs a call per statement. A chunk whose
 * statements do not line up with the split is parsed statement by statement, as a file with an error was before.
 * `first` to `end` (exclusive) are the statements to parse: all of them, unless parse/sql/incremental.ts re-parses
 * only those an edit touched.
 */
export function parseStatements(sqlText: string, raws: RawStatement[], first = 0, end = raws.length): SqlStatement[] {
  const out: SqlStatement[] = [];
  let window = end - first;
  for (let from = first; from < end; ) {
    const to = Math.min(end, from + window);
    if (to - from === 1) {
      out.push(parseOne(sqlText, raws[from], from));
      from = to;
      window = 2;
      continue;
    }
    const chunk = parseChunk(sqlText, raws, from, to);
    if (chunk.statements) {
      // One by one: spreading a chunk of 100,000+ statements into push() overflows the call stack.
      for (const s of chunk.statements) out.push(s);
      from = to;
      window *= 2;
      continue;
    }
    const failing = chunk.failing;
    if (failing === undefined) {
      for (let k = from; k < to; k++) out.push(parseOne(sqlText, raws[k], k));
      from = to;
      continue;
    }
    if (failing > from) {
      const before = parseChunk(sqlText, raws, from, failing).statements;
      if (before) {
        for (const s of before) out.push(s);
      } else {
        for (let k = from; k < failing; k++) out.push(parseOne(sqlText, raws[k], k));
      }
    }
    out.push(parseOne(sqlText, raws[failing], failing));
    window = Math.max(1, failing - from);
    from = failing + 1;
  }
  return out;
}

/**
 * Parses statements `from` to `to` (exclusive) in one call: the whole text when that is all of them (comments and
 * blanks around included). Gives their statements when the call succeeds and lines up with the split; else the
 * statement PostgreSQL stopped in, when it said where.
 */
function parseChunk(sqlText: string, raws: RawStatement[], from: number, to: number): { statements?: SqlStatement[]; failing?: number } {
  const base = from === 0 ? 0 : raws[from].start;
  const chunk = sqlText.slice(base, to === raws.length ? sqlText.length : raws[to - 1].end);
  let result;
  try {
    result = parseSync(chunk);
  } catch (e) {
    const cursor = (e as PgParseError).sqlDetails?.cursorPosition;
    if (cursor === undefined || cursor < 0) return {};
    const offset = base + codePointToUtf16(chunk, cursor);
    let failing = from;
    while (failing + 1 < to && raws[failing + 1].start <= offset) failing++;
    return { failing };
  }
  const stmts = result.stmts ?? [];
  // PostgreSQL drops empty statements (a lone ';'), so they are matched to nothing.
  let nonEmpty = 0;
  for (let k = from; k < to; k++) if (!isEmpty(sqlText, raws[k])) nonEmpty++;
  if (stmts.length !== nonEmpty) return {};
  const map = offsetMapFor(chunk);
  const toFileOffset = (loc: number) => base + map.toUtf16(loc);
  const out: SqlStatement[] = [];
  let j = 0;
  for (let k = from; k < to; k++) {
    const raw = raws[k];
    const common = { index: k, start: raw.start, end: raw.end, terminated: raw.terminated, status: 'ok' as const, toFileOffset };
    if (isEmpty(sqlText, raw)) {
      out.push(common);
      continue;
    }
    const at = toFileOffset(stmts[j].stmt_location ?? 0);
    if (at < raw.start || at >= raw.end) return {};
    const ast = stmts[j++].stmt;
    out.push({ ...common, ast, kind: kindOf(ast) });
  }
  return { statements: out };
}

function kindOf(ast: Node | undefined): string | undefined {
  if (ast === undefined) return undefined;
  for (const key in ast) return key;
  return undefined;
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
    return { ...base, status: 'ok', ast: stmt.stmt, kind: kindOf(stmt.stmt), toFileOffset };
  } catch (e) {
    const err = e as PgParseError;
    const status: StatementStatus = raw.templated ? 'templated' : raw.psqlVariables ? 'psql-variables' : 'syntax-error';
    const message = err.sqlDetails?.message ?? err.message ?? String(e);
    const cursor = err.sqlDetails?.cursorPosition;
    const offset = cursor === undefined || cursor < 0 ? raw.start : raw.start + codePointToUtf16(body, cursor);
    return { ...base, status, error: { message, offset }, toFileOffset };
  }
}
