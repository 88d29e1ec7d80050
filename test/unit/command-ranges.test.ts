import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { before, test } from 'node:test';
import { scannedCommandRanges, stmtOf } from '../../core/src/parse/sql/ast';
import { plainCommandRanges } from '../../core/src/parse/sql/command-ranges';
import { nodesOf } from '../../core/src/parse/sql/nodes';
import { initParser, parseSqlFile, type SqlFile } from '../../core/src/parse/sql/parser';
import { filesUnder } from '../support/files-under';

// An ALTER TABLE's subcommand ranges are read from the text when it needs no scanner (command-ranges.ts); when
// that way answers, it must answer what PostgreSQL's tokens give.

const CORPUS = resolve(__dirname, '../../../shared/corpus');

before(() => initParser());

/** For each ALTER TABLE of the file: [plain answer, scanned answer]. */
function bothWays(file: SqlFile): { text: string; plain: unknown; scanned: unknown }[] {
  const out: { text: string; plain: unknown; scanned: unknown }[] = [];
  for (const stmt of file.statements) {
    const alter = stmtOf(stmt, 'AlterTableStmt');
    if (!alter || alter.relation?.location === undefined) continue;
    const count = nodesOf(alter.cmds, 'AlterTableCmd').length;
    const plain = plainCommandRanges(file.text, stmt.start, stmt.end, stmt.toFileOffset(alter.relation.location), count);
    out.push({ text: file.text.slice(stmt.start, stmt.end), plain, scanned: scannedCommandRanges(file, stmt, alter, count) });
  }
  return out;
}

test('the plain reading gives the scanner\'s ranges, or says it is unsure', () => {
  const file = parseSqlFile([
    'ALTER TABLE public . "Odd,Name" ADD COLUMN a text DEFAULT \'x, (y\', ADD COLUMN b int[] ;',
    'ALTER TABLE t ADD CONSTRAINT c CHECK (a IN (1, 2)), ALTER COLUMN d TYPE numeric(10, 2);',
    'ALTER TABLE t -- a comment, with a comma\n ADD COLUMN e text;',
    'ALTER TABLE t ADD COLUMN f text DEFAULT $$a,b$$;',
  ].join('\n'));
  const results = bothWays(file);
  assert.equal(results.length, 4);
  for (const r of results.slice(0, 2)) assert.deepEqual(r.plain, r.scanned, r.text);
  assert.equal((results[0].scanned as unknown[]).length, 2);
  assert.equal(results[2].plain, 'unsure');
  assert.equal(results[3].plain, 'unsure');
});

test('every ALTER TABLE of the corpus: the plain reading, when sure, equals the scanner\'s', () => {
  let sure = 0;
  for (const path of filesUnder(CORPUS, /\.sql$/)) {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(path));
    } catch {
      continue;
    }
    for (const r of bothWays(parseSqlFile(text))) {
      if (r.plain === 'unsure') continue;
      sure++;
      assert.deepEqual(r.plain, r.scanned, `${path}: ${r.text}`);
    }
  }
  assert.ok(sure > 1000, `only ${sure} ALTER TABLE statements read the plain way`);
});
