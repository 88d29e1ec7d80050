import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { defaultGitBase } from '../../core/src/engine/git-base';
import { git, writeFiles } from '../support/git-repo';

// A clone, as a developer has it: origin/HEAD points at main; a pushed feature branch tracks its own remote copy.
let dir: string;
let origin: string;
let clone: string;
let mainCommit: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'pgvet-gitbase-'));
  origin = join(dir, 'origin');
  clone = join(dir, 'clone');
  git(dir, 'init', '-q', origin);
  writeFiles(origin, { 'migrations/001_init.sql': 'CREATE TABLE t (id int PRIMARY KEY);\n' });
  git(origin, 'add', '.');
  git(origin, 'commit', '-q', '-m', 'init');
  mainCommit = git(origin, 'rev-parse', 'HEAD').trim();
  git(dir, 'clone', '-q', origin, clone);
  git(clone, 'switch', '-q', '-c', 'feature');
  writeFiles(clone, { 'migrations/002_more.sql': 'ALTER TABLE t ADD COLUMN a int;\n' });
  git(clone, 'add', '.');
  git(clone, 'commit', '-q', '-m', 'more');
  git(clone, 'push', '-q', '-u', 'origin', 'feature');
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('a pushed feature branch: its own upstream is passed over, the base is where it left origin/HEAD', () => {
  const base = defaultGitBase(clone);
  assert.equal(base?.commit, mainCommit);
  assert.equal(base?.ref, 'merge-base of HEAD and origin/HEAD');
});

test('a branch that tracks another branch uses that upstream', () => {
  git(clone, 'switch', '-q', '-c', 'tracking', '--track', 'origin/main');
  try {
    assert.equal(defaultGitBase(clone)?.ref, 'merge-base of HEAD and origin/main');
  } finally {
    git(clone, 'switch', '-q', 'feature');
  }
});

test('no remote, or no repository: no base (everything pending)', () => {
  assert.equal(defaultGitBase(origin), undefined);
  assert.equal(defaultGitBase(tmpdir()), undefined);
});
