import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { emptyCatalog, type Catalog, type Table } from '../../core/src/catalog/model';
import { applyFile } from '../../core/src/catalog/replay';
import { snapshotCatalog } from '../../core/src/catalog/snapshot';
import { constraintDefinitionSql, createIndexSql } from '../../core/src/fixes/edits';
import { initParser, parseSqlFile } from '../../core/src/parse/sql/parser';

// The texts and attributes the catalog keeps for defaults, index keys and constraints. That PostgreSQL means the same
// is checked by test/catalog/pg-agreement.test.ts on fixtures/expressions (the same statements) and on the corpus.

function replay(...files: string[]): Catalog {
  const catalog = emptyCatalog();
  files.forEach((sql, k) => applyFile(catalog, `m${k + 1}.sql`, parseSqlFile(sql)));
  return catalog;
}

function table(catalog: Catalog, name: string, schema = 'public'): Table {
  const t = catalog.schemas.get(schema)?.tables.get(name);
  assert.ok(t, `table ${schema}.${name} should exist`);
  return t;
}

const defaults = (t: Table) => Object.fromEntries(t.columns.map((c) => [c.name, c.default]));

before(() => initParser());

describe('serial defaults name the sequence as regclass output does', () => {
  it('quotes mixed-case and keyword names and qualifies schemas other than public', () => {
    const c = replay(`CREATE SCHEMA billing; CREATE TABLE "Mixed" (id serial); CREATE TABLE billing."Invoice" (id bigserial, "order" serial);
      CREATE TABLE "StepRun" ("order" bigserial); CREATE TABLE plain (id serial); CREATE TABLE domain ("uniqueConfigKey" serial);`);
    assert.equal(defaults(table(c, 'Mixed')).id, `nextval('"Mixed_id_seq"'::regclass)`);
    assert.deepEqual(defaults(table(c, 'Invoice', 'billing')), {
      id: `nextval('billing."Invoice_id_seq"'::regclass)`, order: `nextval('billing."Invoice_order_seq"'::regclass)`,
    });
    assert.equal(defaults(table(c, 'StepRun')).order, `nextval('"StepRun_order_seq"'::regclass)`);
    assert.equal(defaults(table(c, 'plain')).id, `nextval('plain_id_seq'::regclass)`);
    assert.equal(defaults(table(c, 'domain')).uniqueConfigKey, `nextval('"domain_uniqueConfigKey_seq"'::regclass)`);
  });
});

describe('index keys', () => {
  it('cuts an expression key from its own element when it comes first, and keeps order, NULLS, operator class and collation apart', () => {
    const c = replay(`CREATE TABLE t (id int, name text, tags text[]);
      CREATE INDEX a ON t (lower(name) DESC, id DESC);
      CREATE INDEX b ON t (name text_pattern_ops);
      CREATE INDEX c ON t ((lower(name)) text_pattern_ops, id NULLS FIRST) WHERE id > 0;
      CREATE INDEX d ON t (name COLLATE "C" DESC NULLS LAST);
      CREATE UNIQUE INDEX e ON t ((tags[1])) WHERE name <> '';
      CREATE INDEX f ON t (coalesce(id, 0), (id + 1) DESC);
      CREATE INDEX g ON t USING gin (tags) WITH (fastupdate = off);
      CREATE INDEX h ON t ((name COLLATE "C"));`);
    const keys = Object.fromEntries(table(c, 't').indexes.map((i) => [i.name, i.keys]));
    assert.deepEqual(keys.a, [{ expression: 'lower(name)', descending: true }, { column: 'id', descending: true }]);
    assert.deepEqual(keys.b, [{ column: 'name', opclass: 'text_pattern_ops' }]);
    assert.deepEqual(keys.c, [{ expression: 'lower(name)', opclass: 'text_pattern_ops' }, { column: 'id', nulls: 'first' }]);
    assert.deepEqual(keys.d, [{ column: 'name', collation: '"C"', descending: true, nulls: 'last' }]);
    assert.deepEqual(keys.e, [{ expression: 'tags[1]' }]);
    assert.deepEqual(keys.f, [{ expression: 'coalesce(id, 0)' }, { expression: 'id + 1', descending: true }]);
    assert.deepEqual(keys.h, [{ column: 'name', collation: '"C"' }]);
    const byName = Object.fromEntries(table(c, 't').indexes.map((i) => [i.name, i]));
    assert.equal(byName.c.predicate, 'id > 0');
    assert.equal(byName.e.predicate, "name <> ''");
    assert.deepEqual(byName.g.options, ["fastupdate='off'"]);
  });

  it('reads EXCLUDE elements with their operators (hatchet v1_payload_offloaded_block_index)', () => {
    const c = replay(`CREATE TABLE s (room int, during tsrange, EXCLUDE USING gist (during WITH &&, tsrange(lower(during), upper(during)) WITH &&) WHERE (room > 0));`);
    const [excl] = table(c, 's').indexes;
    assert.equal(excl.backs, 'exclusion');
    assert.deepEqual(excl.keys, [{ column: 'during', operator: '&&' }, { expression: 'tsrange(lower(during), upper(during))', operator: '&&' }]);
    assert.equal(excl.predicate, '(room > 0)');
  });
});

describe('defaults', () => {
  it('keeps an array literal whole', () => {
    const c = replay(`CREATE TABLE t (a text[] DEFAULT ARRAY['a', 'b'], m int[] DEFAULT ARRAY[[1, 2], [3, 4]], b text DEFAULT 'x');`);
    assert.deepEqual(defaults(table(c, 't')), { a: "ARRAY['a', 'b']", m: 'ARRAY[[1, 2], [3, 4]]', b: "'x'" });
  });

  it('casts a literal default to the old type when the column type changes (crates.io background_jobs.last_retry)', () => {
    const c = replay(`CREATE TABLE j (r timestamp DEFAULT '1970-01-01', s varchar(20) DEFAULT 'new', n int DEFAULT 0, q text DEFAULT 'same');
      ALTER TABLE j ALTER COLUMN r TYPE timestamptz; ALTER TABLE j ALTER COLUMN s TYPE text; ALTER TABLE j ALTER COLUMN n TYPE bigint;
      ALTER TABLE j ALTER COLUMN q TYPE text;`);
    assert.deepEqual(defaults(table(c, 'j')), { r: "'1970-01-01'::timestamp without time zone", s: "'new'::character varying", n: '0', q: "'same'" });
  });
});

describe('constraint attributes', () => {
  it('keeps DEFERRABLE, also written after an inline REFERENCES (crates.io default_versions), and NOT VALID until VALIDATE', () => {
    const c = replay(`CREATE TABLE p (id int PRIMARY KEY);
      CREATE TABLE o (id int PRIMARY KEY DEFERRABLE, p_id int CONSTRAINT o_p_fk REFERENCES p ON DELETE NO ACTION DEFERRABLE INITIALLY DEFERRED, code text, UNIQUE (code) DEFERRABLE);
      ALTER TABLE o ADD CONSTRAINT o_p_fk2 FOREIGN KEY (p_id) REFERENCES p (id) NOT VALID;
      ALTER TABLE o ADD CONSTRAINT o_p_fk3 FOREIGN KEY (p_id) REFERENCES p (id) NOT VALID;`,
    'ALTER TABLE o VALIDATE CONSTRAINT o_p_fk3;');
    const o = table(c, 'o');
    assert.equal(o.primaryKey?.deferrable, 'immediate');
    assert.equal(o.uniqueConstraints[0].deferrable, 'immediate');
    assert.deepEqual(o.foreignKeys.map((fk) => [fk.name, fk.deferrable, fk.notValid]), [
      ['o_p_fk', 'deferred', undefined], ['o_p_fk2', undefined, true], ['o_p_fk3', undefined, undefined],
    ]);
  });
});

describe('DROP … CASCADE drops dependent views', () => {
  const history = [
    `CREATE TABLE m (id int, name text);
     CREATE VIEW names AS SELECT id, name FROM m;
     CREATE MATERIALIZED VIEW name_counts AS SELECT name, count(*) AS n FROM names GROUP BY name;
     CREATE VIEW counted AS WITH c AS (SELECT * FROM name_counts) SELECT * FROM c;
     CREATE VIEW ids AS SELECT id FROM m;`,
    'DROP VIEW names CASCADE;',
  ];

  it('takes the materialized view on the view and the view on that, and leaves the rest', () => {
    const c = replay(...history);
    assert.deepEqual([...c.schemas.get('public')!.views.keys()], ['ids']);
  });

  it('leaves the snapshot taken before the DROP as it was', () => {
    const c = replay(history[0]);
    const before = snapshotCatalog(c);
    applyFile(c, 'm2.sql', parseSqlFile(history[1]));
    assert.deepEqual([...before.schemas.get('public')!.views.keys()], ['names', 'name_counts', 'counted', 'ids']);
    assert.deepEqual([...c.schemas.get('public')!.views.keys()], ['ids']);
  });

  it('follows the table and the view through renames and SET SCHEMA (PostgreSQL keeps the dependency by oid)', () => {
    const c = replay(`CREATE TABLE src (v int); CREATE VIEW v1 AS SELECT v FROM src; CREATE MATERIALIZED VIEW v2 AS SELECT v FROM v1; CREATE SCHEMA s;`,
      'ALTER TABLE src RENAME TO src2; ALTER VIEW v1 RENAME TO v1b; ALTER TABLE src2 SET SCHEMA s; ALTER SCHEMA s RENAME TO s2;',
      'DROP TABLE s2.src2 CASCADE;');
    assert.deepEqual([...c.schemas.get('public')!.views.keys()], []);
  });

  it('follows DROP TABLE … CASCADE and DROP SCHEMA … CASCADE, not a DROP without CASCADE', () => {
    const c = replay(`CREATE TABLE src (v int); CREATE VIEW v1 AS SELECT v FROM src; CREATE MATERIALIZED VIEW v2 AS SELECT v FROM v1;
      CREATE SCHEMA r; CREATE TABLE r.t (id int); CREATE VIEW r.recent AS SELECT id FROM r.t; CREATE VIEW recent_ids AS SELECT id FROM r.recent;
      CREATE TABLE keep (v int); CREATE VIEW keep_view AS SELECT v FROM keep;`,
    'DROP TABLE src CASCADE; DROP SCHEMA r CASCADE; DROP VIEW keep_view;');
    assert.deepEqual([...c.schemas.get('public')!.views.keys()], []);
    const d = replay('CREATE TABLE a (v int); CREATE VIEW av AS SELECT v FROM a; CREATE VIEW avv AS SELECT v FROM av;', 'DROP VIEW av;');
    assert.deepEqual([...d.schemas.get('public')!.views.keys()], ['avv'], 'PostgreSQL refuses this DROP; the catalog drops only what it names');
  });
});

describe('SQL rebuilt from the catalog (generated downs) keeps what the catalog now knows', () => {
  it('writes operator class, collation, order, NULLS and WITH of each index, and DEFERRABLE of constraints', () => {
    const c = replay(`CREATE TABLE t (id int PRIMARY KEY DEFERRABLE INITIALLY DEFERRED, name text);
      CREATE INDEX a ON t ((lower(name)) text_pattern_ops DESC NULLS LAST, name COLLATE "C") WITH (fillfactor = 70) WHERE id > 0;`);
    const t = table(c, 't');
    assert.equal(createIndexSql(t, t.indexes.find((i) => i.name === 'a')!),
      `CREATE INDEX a ON t ((lower(name)) text_pattern_ops DESC NULLS LAST, name COLLATE "C") WITH (fillfactor='70') WHERE id > 0;`);
    assert.equal(constraintDefinitionSql('primary key', t.primaryKey!), 'PRIMARY KEY (id) DEFERRABLE INITIALLY DEFERRED');
  });
});

describe('sequences', () => {
  it('ALTER SEQUENCE … OWNED BY ties a sequence to a column, OWNED BY NONE unties it, and a tied one goes with its table', () => {
    const c = replay(`CREATE TABLE t (id int); CREATE SEQUENCE a_seq; CREATE SEQUENCE b_seq OWNED BY t.id; CREATE SEQUENCE c_seq;
      ALTER SEQUENCE a_seq OWNED BY t.id; ALTER SEQUENCE b_seq OWNED BY NONE; ALTER SEQUENCE IF EXISTS nope OWNED BY NONE;`);
    const owners = () => Object.fromEntries([...c.schemas.get('public')!.sequences.values()].map((s) => [s.name, s.ownedBy]));
    assert.deepEqual(owners(), { a_seq: 't.id', b_seq: undefined, c_seq: undefined });
    applyFile(c, 'm2.sql', parseSqlFile('DROP TABLE t;'));
    assert.deepEqual(owners(), { b_seq: undefined, c_seq: undefined });
  });
});
