import assert from 'node:assert/strict';
import { test } from 'node:test';
import { explainableStatements, statementAt } from '../../core/src/explain/statement-at';

const doc = "-- q\nSELECT 1;\n\nUPDATE t SET a = 'x;y' WHERE id = $1;\nCREATE INDEX i ON t (a);\n";

test('the statement under the cursor, without its semicolon, with its offset', () => {
  const at = doc.indexOf('SET');
  assert.deepEqual(statementAt(doc, at, at), { text: "UPDATE t SET a = 'x;y' WHERE id = $1", start: doc.indexOf('UPDATE') });
  const afterSemicolon = doc.indexOf('SELECT 1;') + 'SELECT 1;'.length + 1;
  assert.equal(statementAt(doc, afterSemicolon, afterSemicolon)?.text, 'SELECT 1');
});

test('a selection wins and is trimmed', () => {
  const s = doc.indexOf('SELECT');
  assert.deepEqual(statementAt(doc, s - 1, s + 'SELECT 1;'.length), { text: 'SELECT 1', start: s });
});

test('code lenses go above queries, not DDL', () => {
  assert.deepEqual(explainableStatements(doc).map((s) => s.text.split(' ')[0]), ['SELECT', 'UPDATE']);
});
