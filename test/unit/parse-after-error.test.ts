import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { before, test } from 'node:test';
import { loadModule, parseSync } from 'libpg-query';
import { placedPositions } from '../support/ast-positions';
import { initParser, parseSqlFile, type SqlFile, type SqlStatement } from '../../core/src/parse/sql/parser';
import { codePointToUtf16, offsetMapFor } from '../../core/src/parse/sql/offsets';
import { filesUnder } from '../support/files-under';

// A file with a syntax error is no longer parsed statement by statement after the first whole-file call fails:
// the statements around the error are parsed in chunks. Each statement must come out as if it had been parsed
// alone (what every statement of such a file got before), its AST locations placed at the same file offsets.

const CORPUS = resolve(__dirname, '../../../shared/corpus');

// The reference is the package's own parser, a WASM instance of its own: both are awaited.
before(() => Promise.all([initParser(), loadModule()]));

/** The text PostgreSQL saw: meta-commands and COPY data blanked, as the parser does. */
function sqlTextOf(file: SqlFile): string {
  let text = file.text;
  for (const s of [...file.metaCommands, ...file.copyData]) text = text.slice(0, s.start) + text.slice(s.start, s.end).replace(/[^\n]/g, ' ') + text.slice(s.end);
  return text;
}

/** What parsing this statement alone gives: status, error and placed AST. */
function alone(sqlText: string, s: SqlStatement): unknown {
  const body = sqlText.slice(s.start, s.end);
  if (s.terminated && body === ';') return { ok: true };
  try {
    const stmt = parseSync(body).stmts?.[0];
    return stmt ? { ok: true, ast: placedPositions(stmt.stmt, s.start, (loc) => s.start + offsetMapFor(body).toUtf16(loc)) } : { ok: true };
  } catch (e) {
    const details = (e as { sqlDetails?: { message: string; cursorPosition: number } }).sqlDetails;
    const cursor = details?.cursorPosition;
    return { ok: false, message: details?.message ?? (e as Error).message, offset: cursor === undefined || cursor < 0 ? s.start : s.start + codePointToUtf16(body, cursor) };
  }
}

function asParsed(s: SqlStatement): unknown {
  if (s.status !== 'ok') return { ok: false, message: s.error?.message, offset: s.error?.offset };
  return s.ast ? { ok: true, ast: placedPositions(s.ast, s.start, s.toFileOffset) } : { ok: true };
}

function assertSameAsAlone(name: string, file: SqlFile): void {
  const sqlText = sqlTextOf(file);
  file.statements.forEach((s, k) => {
    assert.equal(s.index, k, `${name}: statement ${k} index`);
    assert.deepEqual(asParsed(s), alone(sqlText, s), `${name}: statement ${k} at ${s.start}`);
  });
}

test('errors at the start, in the middle, at the end and next to each other: every statement as if parsed alone', () => {
  const text = [
    'CREATE TABLE a (id int);',
    'CREATE TABLE b (id int REFERENCES a (id));',
    'ALTER TABLE a ADD COLUMN x text DEFALT 1;',
    ';',
    "COMMENT ON TABLE a IS 'été ✓ 😀';",
    'SELECT 1 FROM;',
    'SELECT * FROM b WHERE id = :id;',
    'CREATE INDEX ON b (id);',
    'INSERT INTO a VALUES (1), (2);',
    'DROP TABLE',
  ].join('\n');
  const file = parseSqlFile(text);
  assert.deepEqual(
    file.statements.map((s) => s.status),
    ['ok', 'ok', 'syntax-error', 'ok', 'ok', 'syntax-error', 'psql-variables', 'ok', 'ok', 'syntax-error'],
  );
  assertSameAsAlone('mixed', file);
  assertSameAsAlone('error first', parseSqlFile('SELEC 1;\nSELECT 2;\nSELECT 3;'));
  assertSameAsAlone('all errors', parseSqlFile('SELEC 1;\nSELEC 2;\nSELEC 3;\nSELEC 4;'));
});

test('corpus files with a statement PostgreSQL rejects: every statement as if parsed alone', () => {
  let withErrors = 0;
  for (const path of filesUnder(CORPUS, /\.sql$/)) {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(path));
    } catch {
      continue; // the one Windows-1252 file: its reading is files.ts's business
    }
    if (text.length > 200_000) continue;
    const file = parseSqlFile(text);
    if (file.statements.every((s) => s.status === 'ok')) continue;
    withErrors++;
    assertSameAsAlone(path.slice(CORPUS.length + 1), file);
  }
  // The corpus has regression-test files full of deliberate errors, psql variables and Go templates.
  assert.ok(withErrors > 50, `only ${withErrors} corpus files with errors`);
});
