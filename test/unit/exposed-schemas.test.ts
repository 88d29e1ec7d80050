import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readSupabaseApiSettings } from '../../core/src/catalog/layouts/supabase-config';
import { detectFileContext } from '../../core/src/catalog/layouts';
import { exposureOf } from '../../core/src/engine/exposure';
import { readProjectConfigText } from '../../core/src/engine/resolve-config';
import { DEFAULT_PGVET_JSON } from '../../core/src/config/schema';
import { parseSqlFile, initParser } from '../../core/src/parse/sql/parser';
import type { HistoryFile } from '../../core/src/rule-kit/types';

// The [api] table as `supabase init` writes it (comments and neighbours kept).
const INIT_TOML = `# For detailed configuration reference documentation, visit:
project_id = "demo"

[api]
enabled = true
# Port to use for the API URL.
port = 54321
# Schemas to expose in your API. Tables, views and stored procedures in this schema will get API endpoints.
# \`public\` and \`graphql_public\` schemas are included by default.
schemas = ["public", "graphql_public"]
# Extra schemas to add to the search_path of every request.
extra_search_path = ["public", "extensions"]
max_rows = 1000

[db]
port = 54322
schemas = ["not_this_one"]
`;

describe('supabase/config.toml [api] schemas', () => {
  test('reads the array supabase init writes, not [db] keys of the same name', () => {
    assert.deepEqual(readSupabaseApiSettings('c.toml', INIT_TOML), { file: 'c.toml', schemas: ['public', 'graphql_public'] });
  });
  test('multi-line arrays, literal strings, comments and a trailing comma', () => {
    const text = "[api]\nschemas = [\n  'public', # main\n  \"api\",\n]\n";
    assert.deepEqual(readSupabaseApiSettings('c.toml', text).schemas, ['public', 'api']);
  });
  test('no [api] schemas: nothing read, no problem', () => {
    assert.deepEqual(readSupabaseApiSettings('c.toml', '[db]\nport = 1\n'), { file: 'c.toml' });
  });
  test('a broken value is a problem, not a crash', () => {
    const r = readSupabaseApiSettings('c.toml', '[api]\nschemas = [public, "x"\n');
    assert.equal(r.schemas, undefined);
    assert.match(r.problem!, /not an array of strings in c\.toml/);
  });
});

describe('exposed schemas of a history', () => {
  const history = (files: Record<string, string>): Map<string, HistoryFile> => {
    const fs = { readFile: (p: string) => files[p] };
    const path = '/app/supabase/migrations/20240101000000_init.sql';
    return new Map([[path, { path, text: '', parsed: parseSqlFile(''), context: detectFileContext(path, '', fs) }]]);
  };
  test('Supabase project: config.toml wins over the default', async () => {
    await initParser();
    const e = exposureOf(DEFAULT_PGVET_JSON, history({ '/app/supabase/config.toml': INIT_TOML }));
    assert.deepEqual(e, { schemas: ['public', 'graphql_public'], source: '[api] schemas in /app/supabase/config.toml', supabase: true });
  });
  test("pgvet.json's schemas win over config.toml; without schemas in pgvet.json config.toml applies", async () => {
    await initParser();
    const files = history({ '/app/supabase/config.toml': INIT_TOML });
    const set = readProjectConfigText('{"schemas": ["api"]}').config;
    assert.deepEqual(exposureOf(set, files), { schemas: ['api'], source: "pgvet.json's schemas", supabase: true });
    const unset = readProjectConfigText('{"rules": {}}').config;
    assert.deepEqual(exposureOf(unset, files).schemas, ['public', 'graphql_public']);
  });
  test('a broken config.toml: the default, and the source says why', async () => {
    await initParser();
    const e = exposureOf(DEFAULT_PGVET_JSON, history({ '/app/supabase/config.toml': '[api]\nschemas = "public"\n' }));
    assert.deepEqual(e.schemas, ['public']);
    assert.match(e.source, /^the default exposed schemas \(\[api\] schemas is not an array of strings in \/app\/supabase\/config\.toml, so it was ignored\)$/);
  });
  test('not Supabase: the default, public', async () => {
    await initParser();
    const fs = { readFile: () => undefined };
    const path = '/app/migrations/001.sql';
    const e = exposureOf(DEFAULT_PGVET_JSON, new Map([[path, { path, text: '', parsed: parseSqlFile(''), context: detectFileContext(path, '', fs) }]]));
    assert.deepEqual(e, { schemas: ['public'], source: 'the default exposed schemas', supabase: false });
  });
});
