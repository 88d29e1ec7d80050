import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { INDEX, MIGRATIONS, prismaRepoWithBranch, RENAME } from '../support/git-repo';

const CLI = resolve(__dirname, '../../dist/cli.js');

function lint(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [CLI, 'lint', '.', '--no-color', ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface JsonFinding { ruleId: string; fingerprint: string; object?: { kind: string; table: string; columns?: string[] } }
interface JsonOut {
  files: { path: string; findings: JsonFinding[] }[];
  baseline: { files: string[]; hidden: number; stale: { rule: string; where: string; fingerprint: string; file?: string }[] };
}

function lintJson(args: string[], cwd: string): { code: number | null; out: JsonOut } {
  const r = lint(['--format', 'json', ...args], cwd);
  return { code: r.code, out: JSON.parse(r.stdout) as JsonOut };
}

const findings = (out: JsonOut) => out.files.flatMap((f) => f.findings.map((x) => ({ path: f.path, ...x })));

// A project adopting pgvet: its history has an unindexed foreign key (a schema problem) and a CREATE INDEX on an
// existing table without CONCURRENTLY (a statement finding). It accepts them, then goes on changing the schema.
describe('pgvet-baseline.json round trip', () => {
  let dir: string;
  const migration = (name: string, sql: string) => writeFileSync(join(dir, 'migrations', name), sql);
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pgvet-baseline-'));
    mkdirSync(join(dir, 'migrations'));
    migration('001_init.sql', 'CREATE TABLE customers (id bigint PRIMARY KEY, email text);\nCREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers (id));\n');
    migration('002_email.sql', 'CREATE INDEX customers_email_idx ON customers (email);\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('without a baseline the history fails the run', () => {
    const { code, out } = lintJson([], dir);
    assert.equal(code, 1);
    assert.deepEqual(findings(out).map((f) => f.ruleId).sort(), ['require-concurrent-index-creation', 'unindexed-foreign-key']);
  });

  test('--write-baseline accepts today\'s findings: sorted, one entry a line, then exit 0', () => {
    const w = lint(['--write-baseline'], dir);
    assert.equal(w.code, 0, w.stdout + w.stderr);
    assert.match(w.stdout, /Wrote 2 finding\(s\) to pgvet-baseline\.json/);
    const text = readFileSync(join(dir, 'pgvet-baseline.json'), 'utf8');
    const lines = text.split('\n').filter((l) => l.trim().startsWith('{"fingerprint"'));
    assert.equal(lines.length, 2);
    assert.deepEqual(lines.map((l) => JSON.parse(l.replace(/,$/, '')).rule), ['require-concurrent-index-creation', 'unindexed-foreign-key']);
    assert.match(lines[0], /"file":"migrations\/002_email\.sql"/);
    assert.match(lines[1], /"schema":"migrations","where":"fk public\.orders\(customer_id\) → public\.customers"/);
    // Written again from the same findings, the file does not change.
    assert.equal(lint(['--write-baseline'], dir).code, 0);
    assert.equal(readFileSync(join(dir, 'pgvet-baseline.json'), 'utf8'), text);

    const again = lint([], dir);
    assert.equal(again.code, 0, again.stdout);
    assert.match(again.stdout, /^2 finding\(s\) hidden by pgvet-baseline\.json \(--no-baseline shows them\)\.$/m);
  });

  test('lines moving above a baselined finding do not bring it back', () => {
    migration('001_init.sql', '-- the first tables\n\n' + readFileSync(join(dir, 'migrations', '001_init.sql'), 'utf8'));
    migration('002_email.sql', '-- lookups by email\n' + readFileSync(join(dir, 'migrations', '002_email.sql'), 'utf8'));
    const { code, out } = lintJson([], dir);
    assert.equal(code, 0, JSON.stringify(findings(out)));
    assert.equal(out.baseline.hidden, 2);
  });

  test('a new unindexed foreign key fails the run with exactly that finding', () => {
    migration('003_items.sql', 'CREATE TABLE items (id bigint PRIMARY KEY, order_id bigint REFERENCES orders (id));\n');
    const { code, out } = lintJson([], dir);
    assert.equal(code, 1);
    const shown = findings(out);
    assert.equal(shown.length, 1, JSON.stringify(shown));
    assert.equal(shown[0].ruleId, 'unindexed-foreign-key');
    assert.equal(shown[0].path, 'migrations/003_items.sql');
    assert.deepEqual(shown[0].object, { kind: 'fk', schema: 'public', table: 'items', name: 'public.orders', columns: ['order_id'] });
    assert.equal(out.baseline.hidden, 2);
    assert.deepEqual(out.baseline.stale, []);
    // --no-baseline shows everything.
    const all = lintJson(['--no-baseline'], dir);
    assert.equal(findings(all.out).length, 3);
  });

  test('fixing a baselined problem reports its entry as stale, and --write-baseline prunes it', () => {
    migration('003_items.sql', 'CREATE TABLE items (id bigint PRIMARY KEY, order_id bigint REFERENCES orders (id));\nCREATE INDEX items_order_id_idx ON items (order_id);\n');
    migration('004_orders_customer.sql', 'CREATE INDEX CONCURRENTLY orders_customer_id_idx ON orders (customer_id);\n');
    const human = lint([], dir);
    assert.equal(human.code, 1, human.stdout);
    assert.match(human.stdout, /^pgvet-baseline\.json: baseline entry no longer occurs, remove it: unindexed-foreign-key migrations: fk public\.orders\(customer_id\) → public\.customers \[[0-9a-f]{16}\]$/m);
    const { out } = lintJson([], dir);
    assert.deepEqual(findings(out), []);
    assert.deepEqual(out.baseline.stale.map((s) => s.rule), ['unindexed-foreign-key']);
    assert.equal(out.baseline.hidden, 1);

    assert.equal(lint(['--write-baseline'], dir).code, 0);
    const text = readFileSync(join(dir, 'pgvet-baseline.json'), 'utf8');
    assert.doesNotMatch(text, /unindexed-foreign-key/);
    assert.match(text, /require-concurrent-index-creation/);
    assert.equal(lint([], dir).code, 0);
  });

  test('SARIF carries the same fingerprints (partialFingerprints), and the summary the stale entries', () => {
    const json = lintJson(['--no-baseline'], dir);
    const r = lint(['--format', 'sarif', '--no-baseline'], dir);
    const sarif = JSON.parse(r.stdout) as { runs: { results: { ruleId: string; partialFingerprints?: Record<string, string> }[] }[] };
    const fromSarif = sarif.runs[0].results.map((x) => `${x.ruleId} ${x.partialFingerprints?.['pgvetFingerprint/v1']}`).sort();
    assert.deepEqual(fromSarif, findings(json.out).map((f) => `${f.ruleId} ${f.fingerprint}`).sort());
    assert.ok(fromSarif.length > 0);
  });

  test('a run on one file judges only that file\'s entries', () => {
    // With a pgvet.json, the project folder is its folder, whatever path is linted.
    writeFileSync(join(dir, 'pgvet.json'), '{}\n');
    const one = spawnSync(process.execPath, [CLI, 'lint', 'migrations/004_orders_customer.sql', '--format', 'json'], { cwd: dir, encoding: 'utf8' });
    const out = JSON.parse(one.stdout) as JsonOut;
    assert.deepEqual(out.baseline.files, ['pgvet-baseline.json']);
    assert.deepEqual(out.baseline.stale, [], 'the entry of 002_email.sql is not judged by a run on 004');
    assert.equal(one.status, 0);
  });
});

// CI lints with --since: a baseline written without it (every migration pending) must not call the entries of
// applied migrations stale, since the rules silent on applied migrations did not run there.
describe('a baseline and --since', () => {
  let root: string;
  before(() => (root = prismaRepoWithBranch('pgvet-baseline-since-')));
  after(() => rmSync(root, { recursive: true, force: true }));

  test('entries of rules silent on applied migrations are not judged on them', () => {
    const run = (...args: string[]) => {
      const r = spawnSync(process.execPath, [CLI, 'lint', MIGRATIONS, '--format', 'json', ...args], { cwd: root, encoding: 'utf8' });
      return { code: r.status, out: JSON.parse(r.stdout) as JsonOut };
    };
    assert.equal(run('--write-baseline').code, 0);
    const text = readFileSync(join(root, MIGRATIONS, 'pgvet-baseline.json'), 'utf8');
    for (const expected of [`"file":"${INDEX.slice(MIGRATIONS.length + 1)}"`, 'unindexed-foreign-key', `"file":"${RENAME.slice(MIGRATIONS.length + 1)}"`]) assert.ok(text.includes(expected), `${expected} in\n${text}`);
    const since = run('--since', 'main');
    assert.deepEqual(since.out.baseline.stale, []);
    // What --since adds (the edited applied migration) is new; the rest stays hidden.
    assert.deepEqual(findings(since.out).map((f) => `${f.path} ${f.ruleId}`), [`${INDEX} applied-migration-modified`]);
    assert.equal(since.out.baseline.hidden, 2);
    assert.equal(since.code, 1);
  });
});
