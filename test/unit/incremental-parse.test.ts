import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { before, test } from 'node:test';
import { reparseSqlFile } from '../../core/src/parse/sql/incremental';
import { seededRandom } from '../../core/src/shadow/sample-values';
import { placedPositions } from '../support/ast-positions';
import { initParser, parseSqlFile, type SqlFile, type SqlStatement } from '../../core/src/parse/sql/parser';

// While a document is typed in, the server re-parses only the statements an edit touched
// (core/src/parse/sql/incremental.ts). Whatever the edits, the result must be the file's full parse: same split,
// same statuses and errors, and every AST position at the same file offset.

const CORPUS = resolve(__dirname, '../../../shared/corpus');
const REGRESS = 'pganalyze__libpg_query/test/sql/postgres_regress';

before(() => initParser());

function statementView(s: SqlStatement): unknown {
  return { index: s.index, start: s.start, end: s.end, status: s.status, terminated: s.terminated, error: s.error, ast: s.ast && placedPositions(s.ast, s.start, s.toFileOffset) };
}

function assertSameAsFullParse(label: string, file: SqlFile): void {
  const full = parseSqlFile(file.text);
  assert.equal(file.statements.length, full.statements.length, `${label}: statement count`);
  assert.deepEqual(
    { comments: file.comments, metaCommands: file.metaCommands, copyData: file.copyData, templated: file.templated },
    { comments: full.comments, metaCommands: full.metaCommands, copyData: full.copyData, templated: full.templated },
    `${label}: split`,
  );
  file.statements.forEach((s, k) => assert.deepEqual(statementView(s), statementView(full.statements[k]), `${label}: statement ${k} at ${s.start}`));
}

/** What typing produces, and the characters that move statement boundaries (quotes, comments, dollar quotes, meta-commands). */
const SNIPPETS = [';', "'", '"', '$$', '$f$', '--', '/*', '*/', '\n', ' ', 'x', 'é', '😀', '(', ')', 'SELECT 1;', 'CREATE TABLE t (id int);\n', 'ALTER TABLE t ADD COLUMN c text NOT NULL;', '\\set v 1\n', 'COPY t FROM stdin;\n1\n\\.\n', ' :v ', '{{ .X }}', 'WITH w AS (SELECT 1) SELECT * FROM w;\n'];

function randomEdit(text: string, next: () => number): string {
  const at = Math.floor(next() * (text.length + 1));
  const pick = next();
  if (pick < 0.45) return text.slice(0, at) + SNIPPETS[Math.floor(next() * SNIPPETS.length)] + text.slice(at);
  if (pick < 0.75) return text.slice(0, at) + text.slice(at + Math.floor(next() * (next() < 0.8 ? 8 : 400)));
  // Paste a piece of the file elsewhere (whole statements move, or are repeated).
  const from = Math.floor(next() * text.length);
  return text.slice(0, at) + text.slice(from, from + Math.floor(next() * 300)) + text.slice(at);
}

const FILES = [
  'triggerdotdev__trigger.dev/internal-packages/database/prisma/migrations/20221209205520_add_runtime_environment/migration.sql',
  'civitai__civitai/packages/civitai-db-schema/prisma/migrations/20221011220133_init/migration.sql',
  'hatchet-dev__hatchet/cmd/hatchet-migrate/migrate/migrations/20251208161245_v1_0_56.sql',
  `${REGRESS}/copy2.sql`,
  `${REGRESS}/create_view.sql`,
  `${REGRESS}/collate.linux.utf8.sql`,
];

for (const [n, name] of FILES.entries()) {
  test(`random edits of ${name.split('/').slice(-2).join('/')}: each re-parse equals the full parse`, (t) => {
    let text: string;
    try {
      text = readFileSync(join(CORPUS, name), 'utf8');
    } catch {
      return t.skip('corpus file not present');
    }
    const next = seededRandom(1000 + n);
    const texts = [text];
    let file = parseSqlFile(text);
    for (let step = 0; step < 40; step++) {
      // Now and then an undo: back to an earlier text, whose statements the last parse may no longer have.
      text = next() < 0.1 ? texts[Math.floor(next() * texts.length)] : randomEdit(text, next);
      texts.push(text);
      file = reparseSqlFile(file, text);
      assertSameAsFullParse(`step ${step}`, file);
    }
  });
}

test('an edit inside one statement re-parses only that statement', () => {
  const statements = Array.from({ length: 200 }, (_, k) => `CREATE TABLE t${k} (id int PRIMARY KEY, name text);`);
  const before = parseSqlFile(statements.join('\n'));
  statements[100] = statements[100].replace('name text', 'name text NOT NULL');
  const after = reparseSqlFile(before, statements.join('\n'));
  assertSameAsFullParse('after', after);
  const sharedAsts = after.statements.filter((s, k) => s.ast !== undefined && s.ast === before.statements[k].ast).length;
  assert.equal(sharedAsts, 199);
  assert.notEqual(after.statements[100].ast, before.statements[100].ast);
  // Statements before the edit did not move: they are the same objects; those after it moved by 9 characters.
  assert.equal(after.statements[99], before.statements[99]);
  assert.equal(after.statements[150].start, before.statements[150].start + ' NOT NULL'.length);
});

test('splitting one statement in two and joining them back', () => {
  const text = "CREATE TABLE a (id int);\nINSERT INTO a VALUES (1), (2);\nCREATE INDEX ON a (id);\n";
  const split = text.replace('(1), (2)', '(1); SELECT (2)');
  const f1 = reparseSqlFile(parseSqlFile(text), split);
  assert.equal(f1.statements.length, 4);
  assertSameAsFullParse('split', f1);
  const f2 = reparseSqlFile(f1, text);
  assert.equal(f2.statements.length, 3);
  assertSameAsFullParse('joined', f2);
});

test('a syntax error and its fix: the error offset and the statements after it', () => {
  const text = "SELECT 1;\nCREATE TABLE a (id int);\nSELECT 'é' FROM a;\n";
  const broken = text.replace('CREATE TABLE', 'CREATE TABL');
  const f1 = reparseSqlFile(parseSqlFile(text), broken);
  assert.equal(f1.statements[1].status, 'syntax-error');
  assertSameAsFullParse('broken', f1);
  const f2 = reparseSqlFile(f1, 'SELECT 42;\n' + broken);
  assert.equal(f2.statements[2].error?.offset, f1.statements[1].error!.offset + 'SELECT 42;\n'.length);
  assertSameAsFullParse('moved', f2);
  const f3 = reparseSqlFile(f2, text);
  assert.equal(f3.statements[1].status, 'ok');
  assertSameAsFullParse('fixed', f3);
});
