import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { findMigrationSets, type MigrationSet } from '../../core/src/catalog/history';
import { nodeDirectoryView } from '../../core/src/fs/disk';
import { runUnit } from '../../server/src/cli/work';
import { appliedCount, migrationNames, reportsOnApplied } from '../../core/src/engine/migration-state';
import { initParser } from '../../core/src/parse/sql/parser';
import { ruleById } from '../../core/src/rules';

const CORPUS = resolve(__dirname, '../../../shared/corpus');

/** A name that picks exactly this migration: its folder (Prisma, diesel) or its file name. */
function uniqueName(set: MigrationSet, index: number): string | undefined {
  const names = migrationNames(set, set.migrations[index]);
  return [names[names.length - 1], names[1]].find((n) => appliedCount(set, n) === index + 1);
}

let tmp: string;
before(async () => {
  await initParser();
  tmp = mkdtempSync(join(tmpdir(), 'pgvet-applied-corpus-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

// Every history of the corpus, adopted with all but its newest migration applied (pgvet.json "applied", given with
// --config from outside the read-only corpus): the rules about what a migration does report on the newest only.
test('corpus: with "applied" at the second-newest migration, statement findings are on the newest migration only', () => {
  const rows: string[] = [];
  let histories = 0;
  let schemaFindingsOnApplied = 0;
  for (const project of readdirSync(CORPUS, { withFileTypes: true }).filter((e) => e.isDirectory())) {
    for (const set of findMigrationSets(join(CORPUS, project.name), nodeDirectoryView)) {
      if (set.migrations.length < 2) continue;
      const n = set.migrations.length;
      const name = uniqueName(set, n - 2);
      assert.ok(name, `${set.dir}: the second-newest migration has a name of its own`);
      const config = join(tmp, `pgvet-${histories}.json`);
      writeFileSync(config, JSON.stringify({ applied: { [set.dir]: name } }));
      histories++;
      // Pending: the newest migration and its down file; Flyway's repeatable migrations run again whenever they change.
      const newest = set.migrations[n - 1];
      const pending = new Set([newest.path, newest.downPath, ...set.migrations.filter((m) => m.layout === 'flyway' && m.version === '').flatMap((m) => [m.path, m.downPath])]);
      const paths = set.migrations.flatMap((m) => (m.downPath ? [m.path, m.downPath] : [m.path]));
      const { reports, problems } = runUnit({ kind: 'history', dir: set.dir, layout: set.layout, paths }, config);
      assert.deepEqual(problems, [], set.dir);
      let statementOnNewest = 0;
      for (const r of reports) {
        assert.equal(r.error, undefined, `${r.path}: ${r.error}`);
        for (const f of r.findings) {
          const onApplied = reportsOnApplied(ruleById(f.ruleId)!);
          if (!pending.has(r.path)) {
            assert.ok(onApplied, `${r.path}: ${f.ruleId} reported on an applied migration: ${f.message}`);
            schemaFindingsOnApplied++;
          } else if (!onApplied) statementOnNewest++;
        }
      }
      rows.push(`${set.dir.slice(CORPUS.length + 1)} (${set.layout}, ${n} migrations): ${statementOnNewest} statement finding(s) on the newest`);
    }
  }
  console.log(`${histories} histories\n${rows.join('\n')}\nschema findings on applied migrations: ${schemaFindingsOnApplied}`);
  assert.ok(histories >= 10, `the corpus has its histories (${histories})`);
  assert.ok(schemaFindingsOnApplied > 0, 'schema findings still land on applied migrations');
});
