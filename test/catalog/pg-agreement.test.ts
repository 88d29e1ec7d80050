import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { buildCatalog } from '../../core/src/catalog/history';
import { initParser } from '../../core/src/parse/sql/parser';
import { startPostgres, type PostgresServer } from '../support/postgres';
import { applyProject, CORPUS, leaveOutInherent } from './agreement/harness';
import { PROJECTS } from './agreement/projects';
import { catalogSnapshot } from './agreement/catalog-snapshot';
import { describeKnown, unexplained } from './agreement/known-differences';
import { countFacts, databaseSnapshot, diffSnapshots, SECURITY_KINDS } from './agreement/snapshot';
import { agreeingObjects, catalogSecurityFacts, databaseSecurityFacts } from './agreement/security-snapshot';

/**
 * Applies each corpus project's migration history to a real PostgreSQL server and checks that pgvet's catalog,
 * built from the same files, agrees with pg_catalog object for object: every fact line, expressions included, after
 * both sides' texts went through PostgreSQL. A difference must be listed in agreement/known-differences.ts with its
 * reason; an unlisted one fails, and so does a listed one that no longer occurs.
 */
let server: PostgresServer;

before(async () => {
  await initParser();
  server = await startPostgres();
});
after(() => server?.stop());

describe('catalog agrees with PostgreSQL', () => {
  for (const project of PROJECTS) {
    it(project.name, async (t) => {
      const started = Date.now();
      const applied = await applyProject(server, project, `agree_${project.name.replace(/\W+/g, '_')}`);
      const { client, set, rejected, catalog } = applied;
      try {
        const fromDb = await databaseSnapshot(client);
        const { snapshot: fromCatalog, normalised } = await catalogSnapshot(client, catalog, fromDb);
        const security = { database: await databaseSecurityFacts(client), replayed: catalogSecurityFacts(catalog) };
        const { opaque, opaqueViews } = leaveOutInherent({ database: fromDb, replayed: fromCatalog }, security, applied);
        if (opaque.length) t.diagnostic(`columns not compared for ${opaque.length} tables created by CREATE TABLE … AS a query: ${opaque.join(' ')}`);
        if (opaqueViews.length) t.diagnostic(`columns not compared for ${opaqueViews.length} views: ${opaqueViews.join(' ')}`);
        const diffs = diffSnapshots(fromDb, fromCatalog).filter((d) => !project.kinds || project.kinds.includes(d.kind));
        const agreeing = SECURITY_KINDS.map((kind) => { const ours = new Set(fromCatalog.get(kind)); return `${kind} ${fromDb.get(kind)!.filter((l) => ours.has(l)).length}/${fromDb.get(kind)!.length}`; });
        t.diagnostic(`agreeing lines of PostgreSQL's: ${agreeing.join(', ')}`);
        const objects = SECURITY_KINDS.map((kind) => { const o = agreeingObjects(kind, fromDb.get(kind)!, fromCatalog.get(kind)!); return `${kind} ${o.agreeing}/${o.total}`; });
        t.diagnostic(`agreeing objects of PostgreSQL's: ${objects.join(', ')}`);
        const facts = countFacts(fromDb);
        const total = Object.values(facts).reduce((a, b) => a + b, 0);
        const differences = diffs.reduce((n, d) => n + d.missing.length + d.extra.length, 0);
        t.diagnostic(`${set.layout}, ${set.migrations.length} migrations, ${rejected.length} rejected by PostgreSQL, ${Date.now() - started} ms; ` +
          `${total} facts compared ${JSON.stringify(facts)}, ${normalised} of pgvet's texts put through PostgreSQL, ${differences} differences`);
        for (const r of rejected) t.diagnostic(`rejected ${path.relative(CORPUS, r.file)}: ${r.error}`);
        const { unlisted, listed, stale } = unexplained(project.name, diffs);
        const byReason = new Map<string, typeof listed>();
        for (const d of listed) byReason.set(d.reason!, [...(byReason.get(d.reason!) ?? []), d]);
        for (const [reason, ds] of byReason) t.diagnostic(`${ds.length} known differences (${reason}), e.g. ${ds[0].side} ${ds[0].kind}: ${ds[0].line}`);
        for (const d of unlisted) t.diagnostic(`${d.side} ${d.kind}: ${d.line}`);
        for (const s of stale) t.diagnostic(`listed but no longer different: ${describeKnown(s)}`);
        assert.deepEqual(unlisted.map((d) => `${d.side} ${d.kind}: ${d.line}`), [], 'differences not in agreement/known-differences.ts');
        assert.deepEqual(stale.map(describeKnown), [], 'known differences that no longer occur: remove them');
      } finally {
        await client.end();
      }
    });
  }
});

describe('the comparison sees meaning, not formatting', () => {
  // PostgreSQL's printing removes spacing, case, parentheses and implicit casts (not algebra: `NOT (s = '')` stays apart from `s <> ''`).
  // What the database runs, and two catalogs of it: one written differently with the same meaning, one that means otherwise.
  const applied = `CREATE TABLE t (id serial PRIMARY KEY, n int DEFAULT 2, s text CHECK (s <> ''), at timestamptz DEFAULT now());
    CREATE INDEX t_n_idx ON t (lower(s), n DESC) WHERE n > 0;`;
  const sameMeaning = `CREATE TABLE t (id serial PRIMARY KEY, n int DEFAULT ((2)), s text CHECK ((s<>'')), at timestamptz DEFAULT NOW ( ));
    CREATE INDEX t_n_idx ON t (LOWER(s), n DESC) WHERE (n > 0);`;
  const otherMeaning = `CREATE TABLE t (id serial PRIMARY KEY, n int DEFAULT 3, s text CHECK (s <> 'x'), at timestamptz DEFAULT now());
    CREATE INDEX t_n_idx ON t (upper(s), n) WHERE n > 1;`;

  it('finds no difference in formatting and every difference in meaning', async () => {
    const admin = new Client({ connectionString: server.url() });
    await admin.connect();
    await admin.query('DROP DATABASE IF EXISTS agree_meaning');
    await admin.query('CREATE DATABASE agree_meaning');
    await admin.end();
    const client = new Client({ connectionString: server.url('agree_meaning') });
    await client.connect();
    try {
      await client.query(applied);
      const fromDb = await databaseSnapshot(client);
      const compare = async (sql: string) => {
        const { snapshot } = await catalogSnapshot(client, buildCatalog([{ path: 'm.sql', upText: sql }]), fromDb);
        return diffSnapshots(fromDb, snapshot).flatMap((d) => d.extra.map((line) => `${d.kind}: ${line}`));
      };
      assert.deepEqual(await compare(sameMeaning), []);
      assert.deepEqual((await compare(otherMeaning)).sort(), [
        'check: "public"."t" "t_s_check" CHECK ((s <> \'x\'::text))',
        'column: "public"."t"."n" integer default 3',
        'index: "public"."t" "t_n_idx" CREATE INDEX ON public.t USING btree (upper(s), n) WHERE (n > 1)',
      ]);
    } finally {
      await client.end();
    }
  });
});
