import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';

const CLI = resolve(__dirname, '../../dist/cli.js');
/** As root every file is readable, so the unreadable-file test runs the CLI as `nobody` then. */
const NOBODY = 65534;

function run(args: string[], cwd: string, asUser?: number, cli = CLI) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', timeout: 120_000, ...(asUser === undefined ? {} : { uid: asUser, gid: asUser }) });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * The CLI where `nobody` can run it: the checkout may sit in a folder only root can enter (a `mktemp -d` clone is
 * 0700), so the bundle and the parser's WASM are copied into the test's own readable folder.
 */
function cliFor(user: number | undefined, dir: string): string {
  if (user === undefined) return CLI;
  const copy = join(dir, 'cli-copy');
  mkdirSync(copy, { recursive: true });
  for (const f of ['cli.js', 'cli-engine.js', 'lint-worker.js', 'libpg-query.wasm']) copyFileSync(join(dirname(CLI), f), join(copy, f));
  chmodSync(copy, 0o755);
  return join(copy, 'cli.js');
}

interface JsonOut {
  files: { path: string; encoding?: string; findings: { ruleId: string; severity: string; message: string; line: number; column: number }[] }[];
}

describe('pgvet lint: input it cannot check as SQL', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pgvet-cli-bad-'));
    chmodSync(dir, 0o755);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('an unreadable file: exit 2 and a message naming it; the other files are still checked', () => {
    const project = join(dir, 'unreadable');
    mkdirSync(project);
    chmodSync(project, 0o755);
    writeFileSync(join(project, 'a_ok.sql'), 'SELECT 1;\n');
    writeFileSync(join(project, 'b_secret.sql'), 'SELECT 2;\n');
    chmodSync(join(project, 'a_ok.sql'), 0o644);
    chmodSync(join(project, 'b_secret.sql'), 0o000);
    const user = process.getuid?.() === 0 ? NOBODY : undefined;
    const r = run(['lint', 'unreadable'], dir, user, cliFor(user, dir));
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^pgvet: cannot read .*unreadable\/b_secret\.sql: permission denied$/m);
    assert.match(r.stdout, /^1 file checked/m);
  });

  test('a named path that is not a regular file (a FIFO) is refused at once, not waited on', () => {
    const fifo = join(dir, 'pipe.sql');
    execFileSync('mkfifo', [fifo]);
    const r = run(['lint', 'pipe.sql'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^pgvet: cannot read pipe\.sql: not a regular file$/m);
  });

  test('a binary file: one finding "binary file, not checked", of bounded length', () => {
    const bytes = Buffer.alloc(200_000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + 13) % 256;
    writeFileSync(join(dir, 'blob.sql'), bytes);
    const r = run(['lint', 'blob.sql', '--format', 'json'], dir);
    assert.equal(r.code, 1);
    const [file] = (JSON.parse(r.stdout) as JsonOut).files;
    assert.equal(file.findings.length, 1);
    assert.deepEqual([file.findings[0].ruleId, file.findings[0].severity], ['syntax-error', 'error']);
    assert.match(file.findings[0].message, /^binary file, not checked \(a NUL byte at line \d+ column \d+\)$/);
  });

  test('a binary .prisma file: one finding too, not one per byte it cannot read', () => {
    writeFileSync(join(dir, 'blob.prisma'), Buffer.from([0x6d, 0x6f, 0x00, 0x82, 0xc0, 0x01, 0x0a, 0xff, 0x00, 0x64]));
    const r = run(['lint', 'blob.prisma', '--format', 'json'], dir);
    const [file] = (JSON.parse(r.stdout) as JsonOut).files;
    assert.deepEqual(file.findings.map((f) => f.message), ['binary file, not checked (a NUL byte at line 1 column 3)']);
  });

  test('a string left open to the end of a large file: the syntax error quotes a bounded part of it', () => {
    writeFileSync(join(dir, 'open_string.sql'), `SELECT 1;\nSELECT 'never closed ${'x'.repeat(200_000)}\n`);
    const r = run(['lint', 'open_string.sql', '--format', 'json'], dir);
    const [file] = (JSON.parse(r.stdout) as JsonOut).files;
    assert.equal(file.findings.length, 1);
    assert.match(file.findings[0].message, /^unterminated quoted string at or near "'never closed x+…"$/);
    assert.ok(file.findings[0].message.length < 120, `${file.findings[0].message.length} characters`);
  });

  test('text that is not UTF-8: read as Windows-1252 and still checked, with one finding saying where the UTF-8 stopped', () => {
    writeFileSync(join(dir, 'latin1.sql'), Buffer.concat([Buffer.from('SELECT 1;\nCREATE INDEX caf'), Buffer.from([0xe9]), Buffer.from('_idx ON t (a);\n')]));
    const r = run(['lint', 'latin1.sql', '--format', 'json'], dir);
    const [file] = (JSON.parse(r.stdout) as JsonOut).files;
    assert.equal(file.encoding, 'windows-1252');
    assert.deepEqual(file.findings.map((f) => [f.ruleId, f.line, f.column]), [['require-concurrent-index-creation', 2, 1], ['syntax-error', 2, 17]]);
    assert.equal(file.findings[1].message, 'not UTF-8 text (invalid byte 0xE9 at line 2 column 17); read as Windows-1252');
    assert.equal(file.findings[1].severity, 'info');
  });
});

describe('pgvet lint: pgvet.json problems', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pgvet-cli-config-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('pgvet.json that is not JSON: exit 2, the file and the problem named once; the files are checked with the defaults', () => {
    const project = join(dir, 'broken');
    mkdirSync(project);
    writeFileSync(join(project, 'pgvet.json'), '{ "rules": { ');
    writeFileSync(join(project, 'a.sql'), 'CREATE INDEX a ON t (a);\n');
    writeFileSync(join(project, 'b.sql'), 'CREATE INDEX b ON t (b);\n');
    const r = run(['lint', 'broken'], dir);
    assert.equal(r.code, 2);
    const said = r.stderr.split('\n').filter((l) => l.includes('pgvet.json'));
    assert.equal(said.length, 1);
    assert.match(said[0], /^pgvet: .*broken\/pgvet\.json is not valid, using the defaults: \(file\): not valid JSON: /);
    assert.match(r.stdout, /2 files checked: 0 error\(s\), 2 warning\(s\)/);
  });

  test("an unknown rule name: exit 2 with \"unknown rule 'foo' — did you mean 'bar'?\", and the rest of the file applies", () => {
    const project = join(dir, 'typo');
    mkdirSync(project);
    writeFileSync(join(project, 'pgvet.json'), JSON.stringify({ rules: { 'require-concurrent-index-creation': 'off', 'unindexed-foreing-key': 'error', 'no-such-thing-at-all': 'off' } }));
    writeFileSync(join(project, 'a.sql'), 'CREATE INDEX a ON t (a);\n');
    const r = run(['lint', 'typo'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /pgvet\.json is not valid: rules\.unindexed-foreing-key: unknown rule 'unindexed-foreing-key' — did you mean 'unindexed-foreign-key'\?; rules\.no-such-thing-at-all: unknown rule 'no-such-thing-at-all'\n/);
    assert.match(r.stdout, /1 file checked: 0 error\(s\), 0 warning\(s\)/);
  });
});
