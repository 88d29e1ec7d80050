import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { emptyCatalog, type Catalog, type Table } from '../../core/src/catalog/model';
import { applyFile } from '../../core/src/catalog/replay';
import { quoteIdent } from '../../core/src/catalog/replay/names';
import { initParser, parseSqlFile } from '../../core/src/parse/sql/parser';
import { connectedPostgres } from '../support/postgres';

/**
 * Renames reach the expression texts the catalog keeps. Each case runs on PostgreSQL; then each text pgvet holds is
 * put back into PostgreSQL on the renamed schema (SET DEFAULT, ADD CHECK, CREATE INDEX, CREATE POLICY) and
 * PostgreSQL's deparse of it must equal its deparse of the object the history made. A stale name fails to apply.
 */
interface Case {
  name: string;
  sql: string;
  table: string;
  /** Texts pgvet must hold afterwards (a spot check of the token-level rewrite). */
  expect?: string[];
}

const CASES: Case[] = [
  { name: 'RENAME COLUMN: index expression, partial index, CHECK and generated column', table: 'identities', sql: `
      CREATE TABLE identities (id int, traits_schema_id text, "userId" int, userid int, CHECK (traits_schema_id <> 'traits_schema_id'),
        g text GENERATED ALWAYS AS (upper(traits_schema_id)) STORED);
      CREATE INDEX identities_lower ON identities (lower(traits_schema_id));
      CREATE INDEX identities_partial ON identities (id) WHERE traits_schema_id IS NOT NULL AND "userId" > 0;
      ALTER TABLE identities RENAME COLUMN traits_schema_id TO schema_id;
      ALTER TABLE identities RENAME COLUMN "userId" TO "ownerId";`,
    expect: ["schema_id <> 'traits_schema_id'", 'upper(schema_id)', 'lower(schema_id)', 'schema_id IS NOT NULL AND "ownerId" > 0'] },
  { name: 'RENAME COLUMN: policies, with a subquery on another table that has a column of the same name', table: 'documents', sql: `
      CREATE TABLE members (org_id int, user_id int);
      CREATE TABLE documents (id int, org_id int, owner int);
      CREATE POLICY by_org ON documents USING (org_id IN (SELECT org_id FROM members WHERE user_id = owner))
        WITH CHECK (documents.org_id > 0);
      ALTER TABLE documents RENAME COLUMN org_id TO organisation_id;
      ALTER TABLE members RENAME COLUMN user_id TO member_id;`,
    expect: ['organisation_id IN (SELECT org_id FROM members WHERE member_id = owner)', 'documents.organisation_id > 0'] },
  { name: 'ALTER TABLE … RENAME TO: the table as a qualifier and in policy subqueries (aliased or not)', table: 'docs', sql: `
      CREATE TABLE members (org_id int, user_id int);
      CREATE TABLE documents (id int, org_id int, owner int, CHECK (documents.org_id > 0));
      CREATE POLICY by_org ON documents USING (org_id IN (SELECT members.org_id FROM members WHERE members.user_id = owner)
        AND EXISTS (SELECT 1 FROM public.members m WHERE m.org_id = documents.org_id));
      ALTER TABLE members RENAME TO "Members";
      ALTER TABLE documents RENAME TO docs;`,
    expect: ['docs.org_id > 0', 'org_id IN (SELECT "Members".org_id FROM "Members" WHERE "Members".user_id = owner)\n        AND EXISTS (SELECT 1 FROM public."Members" m WHERE m.org_id = docs.org_id)'] },
  { name: 'ALTER SEQUENCE … RENAME: nextval defaults, serial and hand-written', table: 'items', sql: `
      CREATE SEQUENCE counter;
      CREATE TABLE items (id serial, n bigint DEFAULT nextval('public.counter'::regclass), m bigint DEFAULT nextval('counter'));
      ALTER SEQUENCE items_id_seq RENAME TO items_ident_seq;
      ALTER TABLE counter RENAME TO "Counter";`,
    expect: ["nextval('items_ident_seq'::regclass)", `nextval('public."Counter"'::regclass)`, `nextval('"Counter"')`] },
  { name: 'ALTER TYPE … RENAME VALUE: defaults, casts and CHECKs', table: 'paint', sql: `
      CREATE TYPE rainbow AS ENUM ('red', 'orange', 'blue');
      CREATE TABLE paint (c rainbow DEFAULT 'red', d rainbow DEFAULT 'blue'::rainbow, note text, CHECK (c <> 'orange'::rainbow),
        CHECK (d IN ('red', 'blue') OR note = 'red'));
      CREATE INDEX paint_red ON paint (note) WHERE c = 'red' AND note <> 'blue';
      ALTER TYPE rainbow RENAME VALUE 'red' TO 'crimson';
      ALTER TYPE rainbow RENAME VALUE 'blue' TO 'green';
      ALTER TYPE rainbow RENAME VALUE 'orange' TO 'it''s orange';`,
    expect: ["'crimson'", "'green'::rainbow", "c <> 'it''s orange'::rainbow", "d IN ('crimson', 'green') OR note = 'red'", "c = 'crimson' AND note <> 'blue'"] },
];

function replay(sql: string): Catalog {
  const catalog = emptyCatalog();
  applyFile(catalog, 'm1.sql', parseSqlFile(sql));
  return catalog;
}

const pg = connectedPostgres();
before(async () => {
  await initParser();
});

const one = async (sql: string, params: unknown[] = []) => (await pg.client.query(sql, params)).rows;

/** PostgreSQL's deparse of `text` put in place of the object's own: run inside a savepoint, rolled back. */
async function deparseOf(ddl: string, read: string, params: unknown[]): Promise<unknown[]> {
  await pg.client.query('SAVEPOINT probe');
  try {
    await pg.client.query(ddl);
    return await one(read, params);
  } finally {
    await pg.client.query('ROLLBACK TO SAVEPOINT probe');
  }
}

async function compareTexts(t: Table): Promise<number> {
  const rel = quoteIdent(t.name);
  let compared = 0;
  for (const c of t.columns.filter((x) => x.default !== undefined)) {
    const read = `SELECT pg_get_expr(d.adbin, d.adrelid) AS e FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum WHERE d.adrelid = $1::regclass AND a.attname = $2`;
    assert.deepEqual(await deparseOf(`ALTER TABLE ${rel} ALTER COLUMN ${quoteIdent(c.name)} SET DEFAULT ${c.default}`, read, [t.name, c.name]), await one(read, [t.name, c.name]), `default of ${c.name}`);
    compared++;
  }
  for (const c of t.columns.filter((x) => x.generated !== undefined)) {
    const read = `SELECT pg_get_expr(d.adbin, d.adrelid) AS e FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum WHERE d.adrelid = $1::regclass AND a.attname = $2`;
    const ddl = `ALTER TABLE ${rel} DROP COLUMN ${quoteIdent(c.name)}, ADD COLUMN ${quoteIdent(c.name)} ${c.type} GENERATED ALWAYS AS (${c.generated}) STORED`;
    assert.deepEqual(await deparseOf(ddl, read, [t.name, c.name]), await one(read, [t.name, c.name]), `generated ${c.name}`);
    compared++;
  }
  for (const c of t.checks) {
    const read = `SELECT pg_get_constraintdef(oid) AS e FROM pg_constraint WHERE conrelid = $1::regclass AND conname = $2`;
    assert.deepEqual(await deparseOf(`ALTER TABLE ${rel} DROP CONSTRAINT ${quoteIdent(c.name)}, ADD CONSTRAINT ${quoteIdent(c.name)} CHECK (${c.expression})`, read, [t.name, c.name]), await one(read, [t.name, c.name]), `check ${c.name}`);
    compared++;
  }
  for (const i of t.indexes.filter((x) => !x.backs)) {
    const keys = i.keys.map((k) => (k.column !== undefined ? quoteIdent(k.column) : `(${k.expression})`)).join(', ');
    const read = `SELECT pg_get_indexdef($1::regclass) AS e`;
    const ddl = `DROP INDEX ${quoteIdent(i.name)}; CREATE INDEX ${quoteIdent(i.name)} ON ${rel} USING ${i.method} (${keys})${i.predicate ? ` WHERE ${i.predicate}` : ''}`;
    assert.deepEqual(await deparseOf(ddl, read, [i.name]), await one(read, [i.name]), `index ${i.name}`);
    compared++;
  }
  for (const p of t.policies) {
    const read = `SELECT pg_get_expr(polqual, polrelid) AS q, pg_get_expr(polwithcheck, polrelid) AS c FROM pg_policy WHERE polrelid = $1::regclass AND polname = $2`;
    const ddl = `DROP POLICY ${quoteIdent(p.name)} ON ${rel}; CREATE POLICY ${quoteIdent(p.name)} ON ${rel}${p.using ? ` USING (${p.using})` : ''}${p.withCheck ? ` WITH CHECK (${p.withCheck})` : ''}`;
    assert.deepEqual(await deparseOf(ddl, read, [t.name, p.name]), await one(read, [t.name, p.name]), `policy ${p.name}`);
    compared++;
  }
  return compared;
}

describe('renames reach dependent texts, as PostgreSQL has them', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const catalog = replay(c.sql);
      assert.deepEqual(catalog.notes.map((n) => n.message), []);
      const t = catalog.schemas.get('public')!.tables.get(c.table)!;
      const texts = [...t.columns.flatMap((x) => [x.default, x.generated]), ...t.checks.map((x) => x.expression),
        ...t.indexes.flatMap((i) => [...i.keys.map((k) => k.expression), i.predicate]), ...t.policies.flatMap((p) => [p.using, p.withCheck])];
      for (const e of c.expect ?? []) assert.ok(texts.includes(e), `pgvet should hold ${e}; has ${JSON.stringify(texts.filter(Boolean))}`);
      await pg.client.query('BEGIN');
      try {
        await pg.client.query(c.sql);
        assert.ok((await compareTexts(t)) > 0);
      } finally {
        await pg.client.query('ROLLBACK');
      }
    });
  }

  it('leaves a policy text as written, with a note, when a subquery reads a relation the catalog does not know', () => {
    const catalog = replay(`CREATE TABLE docs (id int, owner_id int);
      CREATE POLICY mine ON docs USING (EXISTS (SELECT 1 FROM auth.users WHERE owner_id = 1));
      ALTER TABLE docs RENAME COLUMN owner_id TO user_id;`);
    const t = catalog.schemas.get('public')!.tables.get('docs')!;
    assert.equal(t.policies[0].using, 'EXISTS (SELECT 1 FROM auth.users WHERE owner_id = 1)');
    assert.match(catalog.notes.map((n) => n.message).join('\n'), /policy "mine" of "docs" may refer to it through a relation the catalog does not know/);
  });

  it('does not touch string literals, other tables\' columns or names that merely contain the old one', () => {
    const catalog = replay(`CREATE TABLE a (org int, org_name text, CHECK (org_name <> 'org' AND org > 0));
      CREATE TABLE b (org int, CHECK (org > 1));
      ALTER TABLE a RENAME COLUMN org TO "Org";`);
    assert.equal(catalog.schemas.get('public')!.tables.get('a')!.checks[0].expression, `org_name <> 'org' AND "Org" > 0`);
    assert.equal(catalog.schemas.get('public')!.tables.get('b')!.checks[0].expression, 'org > 1');
  });

  it('renames columns of CREATE TABLE … AS tables and materialized views, with their index keys (crates.io)', () => {
    const catalog = replay(`CREATE TABLE crate_downloads (crate_id int, downloads int, date date);
      CREATE MATERIALIZED VIEW recent_crate_downloads (crate_id, downloads) AS SELECT crate_id, SUM(downloads) FROM crate_downloads GROUP BY crate_id;
      CREATE UNIQUE INDEX recent_crate_downloads_crate_id ON recent_crate_downloads (crate_id);
      CREATE INDEX recent_big ON recent_crate_downloads ((crate_id + 1)) WHERE downloads > 100 AND crate_id > 0;
      CREATE TABLE snapshot AS SELECT crate_id AS id, downloads FROM crate_downloads WITH NO DATA;
      CREATE INDEX snapshot_id ON snapshot (id) WHERE downloads > 0;
      ALTER MATERIALIZED VIEW recent_crate_downloads RENAME COLUMN crate_id TO id;
      ALTER TABLE snapshot RENAME COLUMN id TO crate;
      ALTER TABLE snapshot RENAME COLUMN downloads TO n;`);
    assert.deepEqual(catalog.notes.map((n) => n.message), []);
    const view = catalog.schemas.get('public')!.views.get('recent_crate_downloads')!;
    assert.deepEqual(view.columns?.map((c) => `${c.name} ${c.type}`), ['id integer', 'downloads bigint']);
    assert.deepEqual(view.indexes[0].keys.map((k) => k.column), ['id']);
    assert.deepEqual([view.indexes[1].keys[0].expression, view.indexes[1].predicate], ['id + 1', 'downloads > 100 AND id > 0']);
    const t = catalog.schemas.get('public')!.tables.get('snapshot')!;
    assert.deepEqual(t.columns.map((c) => c.name), ['crate', 'n']);
    assert.deepEqual(t.indexes.map((i) => [i.keys[0].column, i.predicate]), [['crate', 'n > 0']]);
  });
});
