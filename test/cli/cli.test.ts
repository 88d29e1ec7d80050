import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { formatGithub } from '../../server/src/cli/format';
import type { FileReport } from '../../server/src/cli/lint-files';
import { ruleDocsUrl } from '../../core/src/rule-kit/docs';

const CLI = resolve(__dirname, '../../dist/cli.js');

function run(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('pgvet lint (CLI)', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pgvet-cli-'));
    mkdirSync(join(dir, 'migrations'));
    writeFileSync(join(dir, 'migrations', '001_index.sql'), '-- add an index\nCREATE INDEX users_email_idx ON users (email);\n');
    writeFileSync(join(dir, 'migrations', '002_ok.sql'), 'SELECT 1;\n');
    mkdirSync(join(dir, 'broken'));
    writeFileSync(join(dir, 'broken', 'bad.sql'), 'SELECT 1;\nSELEC 2;\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('human output names file:line:col, severity, message and rule', () => {
    const r = run(['lint', 'migrations', '--no-color'], dir);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^migrations\/001_index\.sql:2:1: warning CREATE INDEX on existing table "users" .* \[require-concurrent-index-creation\]$/m);
    assert.match(r.stdout, /^2 files checked: 0 error\(s\), 1 warning\(s\)/m);
  });

  test('exit code follows --max-severity', () => {
    assert.equal(run(['lint', 'migrations', '--max-severity', 'error'], dir).code, 0);
    assert.equal(run(['lint', 'migrations', '--max-severity', 'warning'], dir).code, 1);
    assert.equal(run(['lint', 'broken', '--max-severity', 'error'], dir).code, 1);
    assert.equal(run(['lint', 'migrations/002_ok.sql'], dir).code, 0);
  });

  test('json output has positions, rule ids and fixes', () => {
    const r = run(['lint', 'migrations', 'broken', '--format', 'json'], dir);
    const out = JSON.parse(r.stdout);
    assert.equal(out.summary.files, 3);
    assert.equal(out.summary.error, 1);
    const bad = out.files.find((f: { path: string }) => f.path === 'broken/bad.sql');
    assert.deepEqual(bad.findings.map((f: { ruleId: string; line: number; column: number; endColumn: number; message: string }) => [f.ruleId, f.line, f.column, f.endColumn, f.message]), [
      ['syntax-error', 2, 1, 6, 'syntax error at or near "SELEC"'],
    ]);
    const idx = out.files.find((f: { path: string }) => f.path === 'migrations/001_index.sql');
    assert.equal(idx.findings[0].fix.title, 'Add CONCURRENTLY');
  });

  test('github output is one workflow annotation per finding, with escaped properties and message', () => {
    writeFileSync(join(dir, 'migrations', '003_a,b:c.sql'), 'CREATE INDEX "100%\nidx" ON users (name);\n');
    try {
      const r = run(['lint', 'migrations', 'broken', '--format', 'github'], dir);
      assert.equal(r.code, 1);
      const lines = r.stdout.trimEnd().split('\n');
      const first = lines.find((l) => l.includes('001_index')) ?? '';
      assert.match(first, /^::warning file=migrations\/001_index\.sql,line=2,col=1,endLine=2,endColumn=\d+,title=pgvet require-concurrent-index-creation::CREATE INDEX on existing table "users" .*\(https?:\/\/\S+require-concurrent-index-creation\S*\)$/);
      const odd = lines.find((l) => l.includes('003_a'));
      assert.ok(odd, r.stdout);
      assert.match(odd, /^::warning file=migrations\/003_a%2Cb%3Ac\.sql,line=1,/);
      assert.ok(lines.some((l) => /^::error file=broken\/bad\.sql,line=2,col=1,.*title=pgvet syntax-error::syntax error at or near "SELEC"/.test(l)), r.stdout);
      assert.match(lines.at(-1)!, /^pgvet: 4 file\(s\) checked: 1 error\(s\), 2 warning\(s\)/);
    } finally {
      rmSync(join(dir, 'migrations', '003_a,b:c.sql'));
    }
  });

  test('github annotations escape %, CR and LF in messages, and : , in properties', () => {
    const out = formatGithub(
      [{ path: join(dir, 'a:b,c.sql'), findings: [{ ruleId: 'syntax-error', severity: 'error', message: '100% sure\r\nsecond line', line: 1, column: 2, endLine: 3, endColumn: 4 }] } as unknown as FileReport],
      dir,
    );
    assert.equal(out.split('\n')[0], `::error file=a%3Ab%2Cc.sql,line=1,col=2,endLine=3,endColumn=4,title=pgvet syntax-error::100%25 sure%0D%0Asecond line (${ruleDocsUrl('syntax-error')})`);
  });

  test('sarif output is SARIF 2.1.0 with rules, results and regions', () => {
    const r = run(['lint', 'migrations', 'broken', '--format', 'sarif'], dir);
    const sarif = JSON.parse(r.stdout);
    assert.equal(sarif.version, '2.1.0');
    assert.match(sarif.$schema, /sarif-2\.1\.0/);
    const run0 = sarif.runs[0];
    assert.equal(run0.tool.driver.name, 'pgvet');
    const ids = run0.tool.driver.rules.map((x: { id: string }) => x.id);
    assert.ok(ids.includes('syntax-error'));
    assert.equal(run0.results.length, 2);
    for (const res of run0.results) {
      assert.equal(run0.tool.driver.rules[res.ruleIndex].id, res.ruleId, 'ruleIndex points at the rule');
      assert.ok(['error', 'warning', 'note'].includes(res.level));
      const loc = res.locations[0].physicalLocation;
      assert.equal(loc.artifactLocation.uriBaseId, '%SRCROOT%');
      assert.ok(loc.region.startLine >= 1 && loc.region.startColumn >= 1);
    }
    assert.ok(run0.originalUriBaseIds['%SRCROOT%'].uri.startsWith('file://'));
  });

  test('usage errors exit with 2 and say what is wrong', () => {
    const cases: [string[], RegExp][] = [
      [[], /missing command/],
      [['frobnicate'], /unknown command "frobnicate"/],
      [['lint'], /at least one file or folder/],
      [['lint', '.', '--format', 'xml'], /unknown --format "xml"/],
      [['lint', '.', '--max-severity', 'fatal'], /unknown --max-severity "fatal"/],
      [['lint', '.', '--bogus'], /Unknown option '--bogus'/],
    ];
    for (const [args, message] of cases) {
      const r = run(args, dir);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, message);
    }
  });

  test('an unreadable path is named with the reason, the others are still linted, exit 2', () => {
    const r = run(['lint', 'nope.sql', 'migrations'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot read nope\.sql: no such file or directory/);
    assert.match(r.stdout, /2 files checked/);
  });

  test('a broken pgvet.json is reported once, the defaults are used and the exit code is 2', () => {
    const project = join(dir, 'withconfig');
    mkdirSync(project);
    writeFileSync(join(project, 'pgvet.json'), '{ "rules": { ');
    writeFileSync(join(project, 'a.sql'), 'CREATE INDEX a ON t (a);\n');
    writeFileSync(join(project, 'b.sql'), 'CREATE INDEX b ON t (b);\n');
    const r = run(['lint', 'withconfig'], dir);
    assert.equal(r.code, 2);
    assert.equal(r.stderr.match(/is not valid, using the defaults/g)?.length, 1);
    assert.match(r.stdout, /2 files checked: 0 error\(s\), 2 warning\(s\)/);
  });

  test('pgvet.json rule severities apply', () => {
    const project = join(dir, 'configured');
    mkdirSync(project);
    writeFileSync(join(project, 'pgvet.json'), JSON.stringify({ rules: { 'require-concurrent-index-creation': 'off' } }));
    writeFileSync(join(project, 'a.sql'), 'CREATE INDEX a ON t (a);\n');
    const r = run(['lint', 'configured'], dir);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /1 file checked: 0 error\(s\), 0 warning\(s\)/);
  });
});

// The statement rules that read the schema before a migration (RuleContext.catalogBefore) get it from the CLI's history replay.
describe('pgvet lint: column types from earlier migrations', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pgvet-cli-history-'));
    const migrations = join(dir, 'prisma', 'migrations');
    const write = (name: string, sql: string) => {
      mkdirSync(join(migrations, name), { recursive: true });
      writeFileSync(join(migrations, name, 'migration.sql'), sql);
    };
    write('20240101000000_init', 'CREATE TABLE "Post" ("id" TEXT NOT NULL, "title" VARCHAR(20), "at" TIMESTAMP, "body" TEXT, CONSTRAINT "Post_pkey" PRIMARY KEY ("id"));\n');
    write('20240102000000_widen', 'ALTER TABLE "Post" ALTER COLUMN "title" SET DATA TYPE VARCHAR(255);\n');
    write('20240103000000_tz', 'ALTER TABLE "Post" ALTER COLUMN "at" SET DATA TYPE TIMESTAMPTZ;\n');
    write('20240104000000_check', 'ALTER TABLE "Post" ADD CONSTRAINT "Post_body_nn" CHECK ("body" IS NOT NULL) NOT VALID;\nALTER TABLE "Post" VALIDATE CONSTRAINT "Post_body_nn";\n');
    write('20240105000000_required', 'ALTER TABLE "Post" ALTER COLUMN "body" SET NOT NULL;\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('widening a varchar is not reported, timestamp → timestamptz is reported with its TimeZone caveat, a validated CHECK spares SET NOT NULL', () => {
    const out = JSON.parse(run(['lint', 'prisma', '--format', 'json'], dir).stdout);
    const of = (migration: string, rule: string) => out.files.find((f: { path: string }) => f.path.includes(migration))?.findings.filter((x: { ruleId: string }) => x.ruleId === rule) ?? [];
    assert.deepEqual(of('_widen', 'changing-column-type'), []);
    assert.deepEqual(of('_tz', 'destructive-change'), []);
    assert.match(of('_tz', 'changing-column-type')[0]?.message ?? '', /from timestamp without time zone to TIMESTAMPTZ .*unless the session TimeZone is UTC/);
    assert.deepEqual(of('_required', 'setting-not-null'), []);
  });
});
