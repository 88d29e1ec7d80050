import { splitStatements, type RawStatement } from './lexer';
import { parseStatements, sqlTextOf, type SqlFile, type SqlStatement } from './parser';

/**
 * Re-parsing a file while it is typed in: the file is split again (cheap), and only the statements whose text is
 * not among the previous parse's statements go to PostgreSQL's parser; the others are the previous ones moved to
 * their new place. The result equals `parseSqlFile(text)` (test/unit/incremental-parse.test.ts checks it on random
 * edits): a statement's parse depends only on the text PostgreSQL is given for it and on the splitter's flags
 * for it, and every offset it holds moves with it.
 */

/** What a parse was made from, kept to match the next text's statements against. */
interface Basis {
  sqlText: string;
  raws: RawStatement[];
}

const bases = new WeakMap<SqlFile, Basis>();

/**
 * A moved statement's AST locations are still relative to the parse that made them: that parse's conversion and
 * how far the statement has moved since (kept apart so that a statement moved by a hundred edits is one step away
 * from its parse, not a hundred).
 */
const origins = new WeakMap<SqlStatement, { toFileOffset: (location: number) => number; shift: number }>();

/** `parseSqlFile(text)`, reusing the statements of `previous` (a parse of an earlier text of the same document). */
export function reparseSqlFile(previous: SqlFile, text: string): SqlFile {
  if (previous.text === text) return previous;
  const split = splitStatements(text);
  const sqlText = sqlTextOf(text, split);
  const raws = split.statements;
  const reused = matchPrevious(previous, text, sqlText, raws);
  const statements: SqlStatement[] = [];
  for (let k = 0; k < raws.length; ) {
    const old = reused[k];
    if (old) {
      statements.push(moved(old, k, raws[k].start - old.start));
      k++;
      continue;
    }
    let end = k + 1;
    while (end < raws.length && !reused[end]) end++;
    for (const s of parseStatements(sqlText, raws, k, end)) statements.push(s);
    k = end;
  }
  const file: SqlFile = { text, statements, comments: split.comments, metaCommands: split.metaCommands, copyData: split.copyData, templated: raws.some((r) => r.templated) };
  bases.set(file, { sqlText, raws });
  return file;
}

/**
 * For each new statement, a previous one with the same text and flags (each used once), if any: first the
 * statements before and after the edited part, in order; then, between them, any previous statement of that part
 * (moved, pasted or put back by an undo).
 */
function matchPrevious(previous: SqlFile, text: string, sqlText: string, raws: RawStatement[]): (SqlStatement | undefined)[] {
  const basis = basisOf(previous);
  const out: (SqlStatement | undefined)[] = new Array(raws.length).fill(undefined);
  if (!basis) return out;
  const old = basis.raws;
  // Without blanked meta-commands or COPY data, the text PostgreSQL is given is the text itself.
  const blanked = sqlText !== text || basis.sqlText !== previous.text;
  const same = (i: number, k: number) =>
    sameParseInput(old[i], basis.sqlText, raws[k], sqlText) && (!blanked || previous.text.slice(old[i].start, old[i].end) === text.slice(raws[k].start, raws[k].end));
  let head = 0;
  while (head < old.length && head < raws.length && same(head, head)) {
    out[head] = previous.statements[head];
    head++;
  }
  let tail = 0;
  while (tail < old.length - head && tail < raws.length - head && same(old.length - 1 - tail, raws.length - 1 - tail)) {
    out[raws.length - 1 - tail] = previous.statements[old.length - 1 - tail];
    tail++;
  }
  const byText = new Map<string, number[]>();
  for (let i = head; i < old.length - tail; i++) {
    const key = previous.text.slice(old[i].start, old[i].end);
    const list = byText.get(key);
    if (list) list.push(i);
    else byText.set(key, [i]);
  }
  for (let k = head; k < raws.length - tail; k++) {
    const candidates = byText.get(text.slice(raws[k].start, raws[k].end));
    const at = candidates?.findIndex((i) => sameParseInput(old[i], basis.sqlText, raws[k], sqlText)) ?? -1;
    if (at < 0) continue;
    out[k] = previous.statements[candidates![at]];
    candidates!.splice(at, 1);
  }
  return out;
}

/** Everything a statement's parse reads: the text PostgreSQL is given for it and the splitter's flags. */
function sameParseInput(a: RawStatement, aSql: string, b: RawStatement, bSql: string): boolean {
  return (
    a.terminated === b.terminated &&
    a.psqlVariables === b.psqlVariables &&
    a.templated === b.templated &&
    a.end - a.start === b.end - b.start &&
    aSql.slice(a.start, a.end) === bSql.slice(b.start, b.end)
  );
}

/** The split of a parse this module did not make (the first one, by `parseSqlFile`), made again. */
function basisOf(file: SqlFile): Basis | undefined {
  let basis = bases.get(file);
  if (basis) return basis;
  const split = splitStatements(file.text);
  if (split.statements.length !== file.statements.length) return undefined;
  basis = { sqlText: sqlTextOf(file.text, split), raws: split.statements };
  bases.set(file, basis);
  return basis;
}

/** The statement at its new place: its index, its span, its error's offset and its AST locations moved by `shift`. */
function moved(s: SqlStatement, index: number, shift: number): SqlStatement {
  if (shift === 0 && s.index === index) return s;
  const origin = origins.get(s) ?? { toFileOffset: s.toFileOffset, shift: 0 };
  const total = origin.shift + shift;
  const toFileOffset = origin.toFileOffset;
  const next: SqlStatement = { ...s, index, start: s.start + shift, end: s.end + shift, toFileOffset: (location) => toFileOffset(location) + total };
  if (s.error) next.error = { ...s.error, offset: s.error.offset + shift };
  origins.set(next, { toFileOffset, shift: total });
  return next;
}
