import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { INDEX, INIT, MIGRATIONS, prismaRepoWithBranch, RENAME } from '../support/git-repo';

const CLI = resolve(__dirname, '../../dist/cli.js');

const sorted = (xs: string[]) => [...xs].sort();

function lint(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, 'lint', '--format', 'json', ...args], { cwd, encoding: 'utf8' });
  const findings = r.status === 2 ? [] : (JSON.parse(r.stdout).files as { path: string; findings: { ruleId: string; severity: string; line: number; message: string }[] }[])
    .flatMap((f) => f.findings.map((x) => ({ ...x, path: f.path })));
  return { code: r.status, stderr: r.stderr, findings, found: findings.map((f) => `${f.path} ${f.ruleId}`).sort() };
}

describe('pgvet lint --since <ref>: applied migrations are history, pending ones are linted', () => {
  let root: string;
  before(() => (root = prismaRepoWithBranch('pgvet-since-')));
  after(() => rmSync(root, { recursive: true, force: true }));

  test('without --since every migration gets statement findings (today\'s behaviour)', () => {
    const r = lint(root, MIGRATIONS);
    assert.deepEqual(r.found, sorted([
      `${INDEX} require-concurrent-index-creation`,
      `${INIT} unindexed-foreign-key`,
      `${RENAME} renaming-column`,
    ]));
  });

  test('--since main: the new migration\'s statement findings, the edited applied one, the schema findings, nothing else', () => {
    const r = lint(root, MIGRATIONS, '--since', 'main');
    assert.equal(r.stderr, '');
    assert.deepEqual(r.found, sorted([
      `${INDEX} applied-migration-modified`,
      `${INIT} unindexed-foreign-key`,
      `${RENAME} renaming-column`,
    ]));
    const modified = r.findings.find((f) => f.ruleId === 'applied-migration-modified')!;
    assert.equal(modified.severity, 'error', 'Prisma checksums applied migrations');
    assert.match(modified.message, /applied \(it is in main\).*_prisma_migrations/);
    assert.equal(r.code, 1);
    // A fix may not edit an applied migration: the index goes into a new migration instead.
    const fk = r.findings.find((f) => f.ruleId === 'unindexed-foreign-key') as unknown as { fix?: { title: string } };
    assert.match(fk.fix?.title ?? '', /in a new migration/);
    const pending = lint(root, MIGRATIONS).findings.find((f) => f.ruleId === 'unindexed-foreign-key') as unknown as { fix?: { title: string } };
    assert.match(pending.fix?.title ?? '', /after this statement/, 'without a base the migration may still be edited');
  });

  test('--since a commit works the same; --since HEAD makes everything committed applied', () => {
    const r = lint(root, MIGRATIONS, '--since', 'HEAD');
    assert.deepEqual(r.found, [`${INIT} unindexed-foreign-key`], 'the branch commit holds the edit and the new file: nothing is pending or modified');
  });

  test('an unknown ref and a folder outside git are usage errors, said clearly', () => {
    const bad = lint(root, MIGRATIONS, '--since', 'no-such-branch');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--since no-such-branch: the git ref "no-such-branch" does not exist in /);
    const plain = mkdtempSync(join(tmpdir(), 'pgvet-nogit-'));
    try {
      writeFileSync(join(plain, '001.sql'), 'SELECT 1;\n');
      const outside = lint(plain, '.', '--since', 'main');
      assert.equal(outside.code, 2);
      assert.match(outside.stderr, /--since main: .* is not inside a git repository/);
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
  });

  test('pgvet.json "applied" wins over --since and needs no git: nothing is "modified" then', () => {
    const config = join(root, 'pgvet.json');
    writeFileSync(config, JSON.stringify({ applied: { [MIGRATIONS]: '20240201000000_email_index' } }));
    try {
      const r = lint(root, MIGRATIONS, '--since', 'HEAD');
      assert.deepEqual(r.found, sorted([`${INIT} unindexed-foreign-key`, `${RENAME} renaming-column`]));
      writeFileSync(config, JSON.stringify({ applied: '20240101000000' }));
      assert.deepEqual(lint(root, MIGRATIONS).found, sorted([`${INDEX} require-concurrent-index-creation`, `${INIT} unindexed-foreign-key`, `${RENAME} renaming-column`]), 'a version names the migration too; later ones are pending');
      writeFileSync(config, JSON.stringify({ applied: 'nope' }));
      const unknown = lint(root, MIGRATIONS);
      assert.match(unknown.stderr, /pgvet\.json "applied": no migration in .*prisma\/migrations is named "nope", so all of its migrations are linted as pending/);
      assert.equal(unknown.found.length, 3);
    } finally {
      rmSync(config);
    }
  });
});
