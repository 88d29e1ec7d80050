import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pairedRatio, type TimedRun } from '../../bench/cli-compare';
import { NOT_UTF8, prepareInputs, SQUAWK_PANICS } from '../../bench/cli-inputs';
import { validatePgvetRun, validatePlsRun, validateSquawkRun } from '../../bench/peers';

const files = ['/in/a.sql', '/in/b.sql'];
const squawkViolation = (file: string) => ({ file, line: 1, column: 0, level: 'Warning', message: 'm', help: null, rule_name: 'prefer-robust-stmts' });

test('squawk: the UTF-8 abort and the parser panic are not reports, whatever the exit code says', () => {
  // What squawk 2.66.0 prints on the corpus's Windows-1252 file: exit 1, the same code as "violations found".
  const abort = validateSquawkRun({ exitCode: 1, stdout: '', stderr: 'Error: stream did not contain valid UTF-8\n\nStack backtrace:\n   0: anyhow::error' }, files);
  assert.deepEqual(abort, { ok: false, note: 'aborted: stream did not contain valid UTF-8 (exit 1, no report)' });
  const panic = validateSquawkRun({ exitCode: 101, stdout: '', stderr: '\npanicked at crates/squawk_parser/src/lib.rs:1000:9:\nthe parser seems stuck\n   0: squawk::main' }, files);
  assert.deepEqual(panic, { ok: false, note: 'panic: the parser seems stuck (exit 101, no report)' });
  assert.equal(validateSquawkRun({ exitCode: 1, stdout: '[]', stderr: '' }, files).ok, false);
  assert.equal(validateSquawkRun({ exitCode: 1, stdout: JSON.stringify([squawkViolation('/elsewhere.sql')]), stderr: '' }, files).ok, false);
  assert.deepEqual(validateSquawkRun({ exitCode: 1, stdout: JSON.stringify([squawkViolation('/in/a.sql'), squawkViolation('/in/a.sql')]), stderr: '' }, files), { ok: true, note: '2 violations in 1 files' });
  assert.equal(validateSquawkRun({ exitCode: 0, stdout: '[]', stderr: '' }, files).ok, true);
});

test('Postgres Language Server: a report counts only when it checked every file given and read them all', () => {
  const report = (unchanged: number, categories: string[]) => JSON.stringify({ summary: { changed: 0, unchanged, errors: 0, warnings: categories.length }, diagnostics: categories.map((category) => ({ category })) });
  assert.equal(validatePlsRun({ exitCode: 1, stdout: report(2, ['lint/safety/banDropColumn']), stderr: '' }, files).ok, true);
  assert.deepEqual(validatePlsRun({ exitCode: 1, stdout: report(1, []), stderr: '' }, files), { ok: false, note: 'checked 1 of 2 files' });
  // Its answer to the Windows-1252 file: the file is counted as checked, with an internal error for it.
  assert.equal(validatePlsRun({ exitCode: 1, stdout: report(2, ['internalError/io']), stderr: '' }, files).ok, false);
  assert.equal(validatePlsRun({ exitCode: 1, stdout: 'Checked 2 files in 8s.', stderr: '' }, files).ok, false);
});

test('pgvet: its summary must count every file given, none failed', () => {
  const report = (n: number, failed: number) => JSON.stringify({ version: '0.1.0', summary: { files: n, failed }, files: [] });
  assert.equal(validatePgvetRun({ exitCode: 1, stdout: report(2, 0), stderr: '' }, files).ok, true);
  assert.equal(validatePgvetRun({ exitCode: 1, stdout: report(2, 1), stderr: '' }, files).ok, false);
  assert.equal(validatePgvetRun({ exitCode: 2, stdout: '', stderr: 'cannot read /in/a.sql' }, files).ok, false);
});

test('ratios are taken only over rounds where both runs reported', () => {
  const run = (wallS: number, ok: boolean): TimedRun => ({ wallS, cpuS: wallS, peakRssMb: 1, exitCode: ok ? 1 : 101, verdict: { ok, note: '' } });
  const pgvet = [run(2, true), run(4, true), run(6, true)];
  // The aborted peer run (0.1 s) would have made the ratio 40 for its round.
  assert.equal(pairedRatio(pgvet, [run(1, true), run(0.1, false), run(2, true)], 'wallS'), 2.5);
  assert.equal(pairedRatio(pgvet, [run(0.1, false), run(0.1, false), run(0.1, false)], 'wallS'), undefined);
});

test('the inputs all three tools read: the Windows-1252 file transcoded to UTF-8, the squawk-panic files left out', () => {
  const inputs = prepareInputs();
  try {
    const corpus = inputs.sets[0].files;
    assert.equal(corpus.length, inputs.corpusFiles - SQUAWK_PANICS.length);
    assert.ok(!corpus.some((f) => SQUAWK_PANICS.some((p) => f.endsWith(p))));
    const transcoded = corpus.find((f) => f.endsWith(NOT_UTF8.path));
    assert.ok(transcoded);
    const text = new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(transcoded));
    assert.ok(!text.includes('\uFFFD'));
    for (const f of corpus) new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(f));
    assert.deepEqual(inputs.sets.slice(1).map((s) => s.files.length), [820, 571, 1]);
    assert.ok(inputs.sets[3].files[0].startsWith(join(inputs.root, 'triggerdotdev__trigger.dev')));
  } finally {
    inputs.dispose();
  }
});
