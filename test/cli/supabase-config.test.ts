import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';

const CLI = resolve(__dirname, '../../dist/cli.js');
const MIGRATION = 'supabase/migrations/20240101000000_api.sql';

/** A Supabase project whose config.toml exposes an `api` schema: the CLI reads it from disk, and a pgvet.json with schemas wins. */
describe('pgvet lint: exposed schemas from supabase/config.toml', () => {
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'pgvet-supabase-config-'));
    mkdirSync(join(root, 'supabase/migrations'), { recursive: true });
    writeFileSync(join(root, 'supabase/config.toml'), 'project_id = "demo"\n\n[api]\nenabled = true\nschemas = ["public", "graphql_public", "api"]\n');
    writeFileSync(join(root, MIGRATION), 'CREATE SCHEMA api;\nGRANT USAGE ON SCHEMA api TO anon, authenticated;\n'
      + 'CREATE FUNCTION api.whoami() RETURNS text LANGUAGE sql STABLE SECURITY DEFINER SET search_path = \'\' AS $$ SELECT current_user::text $$;\n');
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  const findings = () => {
    const r = spawnSync(process.execPath, [CLI, 'lint', '.', '--format', 'json'], { cwd: root, encoding: 'utf8' });
    const out = JSON.parse(r.stdout) as { files: { findings: { ruleId: string; message: string }[] }[] };
    return out.files.flatMap((f) => f.findings).filter((f) => f.ruleId === 'security-definer-executable-by-api-roles');
  };

  test('config.toml [api] schemas expose api, and the message says so', () => {
    const f = findings();
    assert.equal(f.length, 1);
    assert.match(f[0].message, /schema "api" is exposed \(public, graphql_public, api: \[api\] schemas in .*supabase\/config\.toml\)/);
  });

  test("a pgvet.json that sets schemas wins over config.toml", () => {
    writeFileSync(join(root, 'pgvet.json'), '{ "schemas": ["public"] }\n');
    try {
      assert.deepEqual(findings(), []);
    } finally {
      rmSync(join(root, 'pgvet.json'));
    }
  });

  test('rls-disabled checks the tables of every schema config.toml exposes, not only public', () => {
    const second = join(root, 'supabase/migrations/20240102000000_notes.sql');
    writeFileSync(second, 'CREATE TABLE api.notes (id bigint PRIMARY KEY, body text);\n');
    try {
      const r = spawnSync(process.execPath, [CLI, 'lint', '.', '--format', 'json', '--no-cache'], { cwd: root, encoding: 'utf8' });
      const out = JSON.parse(r.stdout) as { files: { findings: { ruleId: string; message: string }[] }[] };
      const rls = out.files.flatMap((f) => f.findings).filter((f) => f.ruleId === 'rls-disabled');
      assert.equal(rls.length, 1, JSON.stringify(rls));
      assert.match(rls[0].message, /"api\.notes", a table in an exposed schema/);
    } finally {
      rmSync(second);
    }
  });

  test('a broken config.toml: the default (public) is used, and nothing crashes', () => {
    writeFileSync(join(root, 'supabase/config.toml'), '[api]\nschemas = [public\n');
    assert.deepEqual(findings(), []);
  });
});
