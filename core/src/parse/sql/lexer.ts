/**
 * Splits a SQL file into statements without parsing them.
 *
 * libpg-query's own scanner cannot do this job: it throws (with an unparseable
 * JSON payload) on any lexical error such as an unterminated quote, and it is
 * slower than the parser itself because every token crosses the WASM boundary
 * as JSON. Splitting only needs to know where strings, quoted identifiers,
 * dollar quotes and comments begin and end, which this single pass does.
 *
 * Offsets are UTF-16 code-unit offsets into the file text (what editors use).
 */

export interface Span {
  start: number;
  end: number;
}

export interface Comment extends Span {
  /** `line` for `-- …`, `block` for C-style comments. */
  kind: 'line' | 'block';
}

export interface RawStatement extends Span {
  /** Ranges inside [start, end) that are not SQL (psql meta-commands): they are blanked before parsing. */
  holes: Span[];
  /** The statement uses psql variables (`:name`, `:'name'`, `:"name"`). */
  psqlVariables: boolean;
  /** A Go-template placeholder `{{ … }}` appears in the statement. */
  templated: boolean;
  /** The terminating `;` is included in [start, end). */
  terminated: boolean;
}

export interface MetaCommand extends Span {
  /** The command name without the backslash, e.g. `set`, `c`, `ir`. */
  name: string;
}

export interface SplitResult {
  statements: RawStatement[];
  comments: Comment[];
  metaCommands: MetaCommand[];
  /** Data blocks of `COPY … FROM stdin` (up to and including the `\.` line). */
  copyData: Span[];
}

const enum Ch {
  Tab = 9, LF = 10, CR = 13, Space = 32, Quote = 39, DQuote = 34, Dollar = 36, Semicolon = 59,
  Minus = 45, Slash = 47, Star = 42, Backslash = 92, Colon = 58, LBrace = 123, RBrace = 125,
  LParen = 40, RParen = 41, E = 69, e = 101, Zero = 48, Nine = 57,
}

function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c >= 128;
}
function isIdentChar(c: number): boolean {
  return isIdentStart(c) || (c >= Ch.Zero && c <= Ch.Nine) || c === Ch.Dollar;
}
function isSpace(c: number): boolean {
  return c === Ch.Space || c === Ch.LF || c === Ch.CR || c === Ch.Tab || c === 11 || c === 12;
}

/** First letters (lower case) of the words the splitter tracks: copy/from/stdin/pstdin, begin/atomic/case/end. */
const INTERESTING_FIRST = new Set([...'cfspbae'].map((ch) => ch.charCodeAt(0)));

/** goose's and drizzle's statement delimiters. */
const BREAKPOINT = /^--(?:> statement-breakpoint|\s*\+goose\s+(?:StatementEnd|StatementBegin|Up|Down)\b)/i;

/** psql commands after which the statement buffer is sent: they end the current statement. */
const SENDING_META = new Set(['g', 'gx', 'gset', 'gexec', 'gdesc', 'crosstabview', 'watch', 'bind', 'bind_named']);

/**
 * The last text split and its result: linting a file splits it twice in a row (the parse, then the migration
 * tool's "one statement or several?" of layouts/query-string.ts), a twentieth of a corpus run. The result is
 * shared between the callers: none may change it.
 */
let last: { text: string; result: SplitResult } | undefined;

export function splitStatements(text: string): SplitResult {
  if (last !== undefined && last.text === text) return last.result;
  const result = split(text);
  last = { text, result };
  return result;
}

function split(text: string): SplitResult {
  const n = text.length;
  const statements: RawStatement[] = [];
  const comments: Comment[] = [];
  const metaCommands: MetaCommand[] = [];
  const copyData: Span[] = [];

  let stmtStart = -1; // first token of the current statement, -1 when none yet
  let holes: Span[] = [];
  let psqlVariables = false;
  let templated = false;
  // BEGIN ATOMIC … END bodies contain semicolons that do not end the statement.
  let prevWord = '';
  let atomicDepth = 0;
  // Words of the current statement that matter for COPY … FROM stdin detection.
  let firstWord = '';
  let sawFrom = false;
  let copyFromStdin = false;

  const finish = (end: number, terminated: boolean) => {
    if (stmtStart >= 0 && !terminated) end = trimTrailing(text, stmtStart, end, comments);
    if (stmtStart >= 0) {
      // Placeholders may sit inside quotes ("{{ index .Options "Namespace" }}"), which the scan above skips.
      if (!templated) templated = text.slice(stmtStart, end).includes('{{');
      statements.push({ start: stmtStart, end, holes, psqlVariables, templated, terminated });
    }
    const wasCopyStdin = copyFromStdin;
    stmtStart = -1;
    holes = [];
    psqlVariables = false;
    templated = false;
    prevWord = '';
    atomicDepth = 0;
    firstWord = '';
    sawFrom = false;
    copyFromStdin = false;
    return wasCopyStdin;
  };

  const skipCopyData = (from: number): number => {
    // Data starts on the line after the COPY statement and ends with a line `\.`.
    let i = from;
    while (i < n && text.charCodeAt(i) !== Ch.LF) i++;
    const dataStart = i + 1;
    let lineStart = dataStart;
    while (lineStart < n) {
      let lineEnd = text.indexOf('\n', lineStart);
      if (lineEnd < 0) lineEnd = n;
      const line = text.slice(lineStart, lineEnd).replace(/\r$/, '');
      if (line === '\\.') {
        copyData.push({ start: dataStart, end: lineEnd });
        return lineEnd;
      }
      lineStart = lineEnd + 1;
    }
    if (dataStart < n) copyData.push({ start: dataStart, end: n });
    return n;
  };

  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) { i++; continue; }

    // -- line comment
    if (c === Ch.Minus && text.charCodeAt(i + 1) === Ch.Minus) {
      let j = text.indexOf('\n', i);
      if (j < 0) j = n;
      let end = j;
      if (end > i && text.charCodeAt(end - 1) === Ch.CR) end--;
      comments.push({ start: i, end, kind: 'line' });
      // Migration tools split on these markers themselves, so they end a statement even without a ';'.
      if (stmtStart >= 0 && atomicDepth === 0 && BREAKPOINT.test(text.slice(i, end))) {
        const copy = finish(i, false);
        if (copy) { i = skipCopyData(j); continue; }
      }
      i = j;
      continue;
    }
    // /* block comment */ (nests in PostgreSQL)
    if (c === Ch.Slash && text.charCodeAt(i + 1) === Ch.Star) {
      let depth = 1;
      let j = i + 2;
      while (j < n && depth > 0) {
        const d = text.charCodeAt(j);
        if (d === Ch.Slash && text.charCodeAt(j + 1) === Ch.Star) { depth++; j += 2; }
        else if (d === Ch.Star && text.charCodeAt(j + 1) === Ch.Slash) { depth--; j += 2; }
        else j++;
      }
      comments.push({ start: i, end: j, kind: 'block' });
      if (depth > 0 && stmtStart < 0) stmtStart = i; // unterminated: let the parser report it
      i = j;
      continue;
    }
    // psql meta-command: a backslash outside quotes runs to the end of the line.
    if (c === Ch.Backslash) {
      let j = text.indexOf('\n', i);
      if (j < 0) j = n;
      let end = j;
      if (end > i && text.charCodeAt(end - 1) === Ch.CR) end--;
      const m = /^\\([A-Za-z_!?.;]*)/.exec(text.slice(i, Math.min(end, i + 40)));
      const name = m ? m[1] : '';
      metaCommands.push({ start: i, end, name });
      if (stmtStart >= 0) {
        holes.push({ start: i, end });
        if (SENDING_META.has(name)) {
          const copy = finish(end, true);
          if (copy) { i = skipCopyData(end); continue; }
        }
      }
      i = j;
      continue;
    }

    if (stmtStart < 0) stmtStart = i;

    if (c === Ch.Semicolon) {
      if (atomicDepth > 0) { i++; continue; }
      const copy = finish(i + 1, true);
      i++;
      if (copy) i = skipCopyData(i);
      continue;
    }
    // 'string', E'string' (backslash escapes), also B'', X'', N'', U&'' (no escapes)
    if (c === Ch.Quote) {
      const prev = i > 0 ? text.charCodeAt(i - 1) : 0;
      const escapes = (prev === Ch.E || prev === Ch.e) && !(i > 1 && isIdentChar(text.charCodeAt(i - 2)));
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (escapes && d === Ch.Backslash) { j += 2; continue; }
        if (d === Ch.Quote) {
          if (text.charCodeAt(j + 1) === Ch.Quote) { j += 2; continue; }
          break;
        }
        j++;
      }
      i = Math.min(j + 1, n);
      prevWord = '';
      continue;
    }
    // "quoted identifier"
    if (c === Ch.DQuote) {
      let j = i + 1;
      while (j < n) {
        if (text.charCodeAt(j) === Ch.DQuote) {
          if (text.charCodeAt(j + 1) === Ch.DQuote) { j += 2; continue; }
          break;
        }
        j++;
      }
      i = Math.min(j + 1, n);
      prevWord = '';
      continue;
    }
    // $tag$ … $tag$ dollar quote ($1 is a parameter)
    if (c === Ch.Dollar) {
      let j = i + 1;
      if (j < n && isIdentStart(text.charCodeAt(j)) ) {
        while (j < n && isIdentChar(text.charCodeAt(j)) && text.charCodeAt(j) !== Ch.Dollar) j++;
      }
      if (text.charCodeAt(j) === Ch.Dollar) {
        const tag = text.slice(i, j + 1);
        const close = text.indexOf(tag, j + 1);
        i = close < 0 ? n : close + tag.length;
        prevWord = '';
        continue;
      }
      i++;
      while (i < n && text.charCodeAt(i) >= Ch.Zero && text.charCodeAt(i) <= Ch.Nine) i++;
      continue;
    }
    // psql variable :name / :'name' / :"name" (but not :: casts)
    if (c === Ch.Colon) {
      const next = text.charCodeAt(i + 1);
      if (next === Ch.Colon) { i += 2; continue; }
      const prev = i > 0 ? text.charCodeAt(i - 1) : 0;
      if (prev !== Ch.Colon && (next === Ch.Quote || next === Ch.DQuote || isIdentStart(next))) psqlVariables = true;
      i++;
      continue;
    }
    if (c === Ch.LBrace && text.charCodeAt(i + 1) === Ch.LBrace) {
      templated = true;
      i += 2;
      continue;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < n && isIdentChar(text.charCodeAt(j))) j++;
      // Only a handful of words matter here; skip the allocation for every other identifier.
      const len = j - i;
      const word = len >= 3 && len <= 6 && INTERESTING_FIRST.has(c | 0x20) ? text.slice(i, j).toLowerCase() : '';
      if (firstWord === '') firstWord = word || '?';
      if (firstWord === 'copy') {
        if (word === 'from') sawFrom = true;
        else if (sawFrom && (word === 'stdin' || word === 'pstdin') && prevWord === 'from') copyFromStdin = true;
      }
      if (word === 'atomic' && prevWord === 'begin') atomicDepth++;
      else if (atomicDepth > 0 && word === 'case') atomicDepth++;
      else if (atomicDepth > 0 && word === 'end') atomicDepth--;
      prevWord = word;
      i = j;
      continue;
    }
    i++;
  }
  finish(n, false);
  return { statements, comments, metaCommands, copyData };
}

/** End of the last token before `end`: trailing white space and comments are not part of a statement. */
function trimTrailing(text: string, start: number, end: number, comments: Comment[]): number {
  let k = comments.length - 1;
  for (;;) {
    while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
    while (k >= 0 && comments[k].start >= end) k--;
    if (k >= 0 && comments[k].end === end && comments[k].start > start) {
      end = comments[k].start;
      k--;
      continue;
    }
    return end;
  }
}
