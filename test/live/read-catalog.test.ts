import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client } from 'pg';
import type { Catalog } from '../../core/src/catalog/model';
import { LiveCatalogError, readLiveCatalog } from '../../core/src/live/read-catalog';
import { startPostgres, type PostgresServer } from '../support/postgres';

/**
 * What the live reader puts in the model beyond the agreement test's fact lines (test/catalog/live-agreement.test.ts
 * compares those on every corpus history): the parts of functions, views, triggers and index keys the rules read but
 * the lines do not hold, the schemas option, the read-only transaction, and a refused catalog read.
 */
const SCHEMA = `
  CREATE SCHEMA app;
  CREATE TYPE app.mood AS ENUM ('sad', 'ok');
  CREATE DOMAIN app.email AS text CHECK (VALUE LIKE '%@%');
  CREATE TABLE app.people (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text COLLATE "C", email app.email, mood app.mood, created timestamptz DEFAULT now());
  CREATE INDEX people_name ON app.people (name text_pattern_ops DESC NULLS LAST, lower(name) COLLATE "POSIX") INCLUDE (mood) WITH (fillfactor = 70) WHERE mood <> 'sad';
  CREATE FUNCTION app.greet(who text, punct text DEFAULT '!') RETURNS text LANGUAGE sql IMMUTABLE SECURITY DEFINER SET search_path = '' AS $$ SELECT 'hi ' || who || punct $$;
  CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
  CREATE TRIGGER people_touch BEFORE UPDATE OF name ON app.people FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION app.touch();
  CREATE VIEW app.names WITH (security_invoker = true) AS SELECT id, name FROM app.people;
  CREATE TABLE public.loose (x int);`;

describe('readLiveCatalog', () => {
  let server: PostgresServer;
  let client: Client;
  let catalog: Catalog;
  before(async () => {
    server = await startPostgres();
    const admin = new Client({ connectionString: server.url() });
    await admin.connect();
    await admin.query('CREATE DATABASE live_read');
    await admin.end();
    client = new Client({ connectionString: server.url('live_read') });
    await client.connect();
    await client.query(SCHEMA);
    catalog = await readLiveCatalog(client, { source: 'db' });
  });
  after(async () => {
    await client?.end();
    server?.stop();
  });

  test('functions: arguments, defaults, result, security definer, config, owner; trigger functions', () => {
    const [greet] = catalog.schemas.get('app')!.functions.get('greet')!;
    assert.deepEqual({ args: greet.args, defaults: greet.defaults, returns: greet.returns, definer: greet.securityDefiner, config: greet.config, volatility: greet.volatility, language: greet.language, owner: greet.owner },
      { args: ['text', 'text'], defaults: 1, returns: 'text', definer: true, config: ['search_path=""'], volatility: 'immutable', language: 'sql', owner: 'postgres' });
    const [touch] = catalog.schemas.get('app')!.functions.get('touch')!;
    assert.equal(touch.returns, undefined);
    assert.equal(touch.returnsTrigger, true);
  });

  test('index keys: operator class, collation, direction, NULLS, expression; INCLUDE, options, predicate', () => {
    const index = catalog.schemas.get('app')!.tables.get('people')!.indexes.find((i) => i.name === 'people_name')!;
    assert.deepEqual(index.keys, [
      { column: 'name', opclass: 'text_pattern_ops', descending: true, nulls: 'last' },
      { expression: 'lower(name)', collation: '"POSIX"' },
    ]);
    assert.deepEqual(index.include, ['mood']);
    assert.deepEqual(index.options, ["fillfactor='70'"]);
    assert.equal(index.predicate, "(mood <> 'sad'::app.mood)");
    assert.equal(catalog.schemas.get('app')!.tables.get('people')!.indexes.find((i) => i.name === 'people_pkey')!.backs, 'primary');
  });

  test('triggers with their WHEN text and columns; views with options and what they read; named types', () => {
    const [trigger] = catalog.schemas.get('app')!.tables.get('people')!.triggers;
    assert.deepEqual({ when: trigger.when, columns: trigger.columns, fn: trigger.function, timing: trigger.timing, level: trigger.level, events: trigger.events },
      { when: 'old.name IS DISTINCT FROM new.name', columns: ['name'], fn: { schema: 'app', name: 'touch' }, timing: 'before', level: 'row', events: ['update'] });
    const view = catalog.schemas.get('app')!.views.get('names')!;
    assert.deepEqual(view.options, { security_invoker: 'true' });
    assert.deepEqual(view.dependsOn, [{ schema: 'app', name: 'people' }]);
    assert.deepEqual(view.columns!.map((c) => `${c.name} ${c.type}`), ['id bigint', 'name text']);
    assert.ok(catalog.schemas.get('app')!.otherTypes.has('email'));
    assert.deepEqual(catalog.schemas.get('app')!.enums.get('mood')!.values, ['sad', 'ok']);
    const column = catalog.schemas.get('app')!.tables.get('people')!.columns.find((c) => c.name === 'id')!;
    assert.equal(column.identity, 'always');
  });

  test('every object has an origin of its own in the source it was given', () => {
    const table = catalog.schemas.get('app')!.tables.get('people')!;
    const origins = [table.origin, ...table.columns.map((c) => c.origin), ...table.indexes.map((i) => i.origin), table.primaryKey!.origin].map((o) => `${o.file}:${o.start}`);
    assert.equal(new Set(origins).size, origins.length);
    assert.ok(origins.every((o) => o.startsWith('db:')));
  });

  test('the schemas option reads those only; the read leaves no transaction open', async () => {
    const only = await readLiveCatalog(client, { schemas: ['public'] });
    assert.deepEqual([...only.schemas.keys()], ['public']);
    assert.ok(only.schemas.get('public')!.tables.has('loose'));
    assert.ok(catalog.schemas.has('app') && catalog.schemas.has('public'));
    // Outside a transaction block, BEGIN works again (the reader rolled its own back).
    await client.query('BEGIN');
    await client.query('ROLLBACK');
  });

  test('a role that may not read the catalog gets a LiveCatalogError that says what to change', async () => {
    await client.query('CREATE ROLE nosy LOGIN; REVOKE SELECT ON pg_catalog.pg_proc FROM PUBLIC');
    const nosy = new Client({ connectionString: server.url('live_read').replace('postgres@', 'nosy@') });
    await nosy.connect();
    try {
      await assert.rejects(readLiveCatalog(nosy), (e: unknown) => e instanceof LiveCatalogError && e.code === '42501' && /may read pg_catalog/.test(e.message));
    } finally {
      await nosy.end();
      await client.query('GRANT SELECT ON pg_catalog.pg_proc TO PUBLIC');
    }
  });
});
