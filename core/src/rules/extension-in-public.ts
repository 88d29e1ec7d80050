import { z } from 'zod';
import { nodesOf, stringOf } from '../parse/sql/nodes';
import { stmtOf, quoteIdent } from '../parse/sql/ast';
import type { Catalog, Extension } from '../catalog/model';
import { statementStartingAt, insertBeforeStatement } from '../fixes/edits';
import { newMigrationFix } from '../fixes/new-migration';
import { defineRule } from '../rule-kit/define-rule';
import { extensionObject } from '../rule-kit/object-identity';
import type { CatalogRuleContext, Fix, TextEdit } from '../rule-kit/types';

/**
 * Extensions whose control file says `relocatable = true` (pg_available_extension_versions, PostgreSQL 15 contrib;
 * checked by test/rules/extension-in-public.pg.test.ts): ALTER EXTENSION … SET SCHEMA moves them. A relocatable
 * extension cannot fix its own schema, so it went where the history put it.
 */
export const RELOCATABLE = new Set([
  'amcheck', 'autoinc', 'bloom', 'btree_gin', 'btree_gist', 'citext', 'cube', 'dblink', 'dict_int', 'dict_xsyn',
  'earthdistance', 'file_fdw', 'fuzzystrmatch', 'hstore', 'insert_username', 'intagg', 'intarray', 'isn', 'lo', 'ltree',
  'moddatetime', 'old_snapshot', 'pageinspect', 'pg_buffercache', 'pg_freespacemap', 'pg_prewarm', 'pg_stat_statements',
  'pg_surgery', 'pg_trgm', 'pg_visibility', 'pg_walinspect', 'pgcrypto', 'pgrowlocks', 'pgstattuple', 'postgres_fdw',
  'refint', 'seg', 'sslinfo', 'tablefunc', 'tcn', 'tsm_system_rows', 'tsm_system_time', 'unaccent', 'uuid-ossp',
]);

/**
 * Not relocatable but installed where CREATE EXTENSION asks (their control files set no `schema`): moving them
 * means DROP and CREATE. Other extensions may fix their own schema (pg_cron, pg_graphql, pg_net …), so pgvet
 * reports them only when the CREATE names the schema itself.
 */
const PLACED_WHERE_ASKED = new Set(['vector', 'postgis', 'postgis_raster', 'postgis_sfcgal', 'pgrouting', 'timescaledb', 'xml2']);

/** The schema Supabase installs extensions in, and its API's search path includes. */
const TARGET = 'extensions';

function explicitSchema(ctx: CatalogRuleContext<unknown>, e: Extension): string | undefined {
  const file = ctx.files.get(e.origin.file);
  const stmt = file && statementStartingAt(file.parsed, e.origin.start);
  const create = stmt && stmtOf(stmt, 'CreateExtensionStmt');
  return create ? stringOf(nodesOf(create.options, 'DefElem').find((d) => d.defname === 'schema')?.arg) : undefined;
}

/** Supabase: `SCHEMA extensions` in the extension's own CREATE (any extension; the schema is created first). */
function editCreate(ctx: CatalogRuleContext<unknown>, e: Extension): TextEdit[] | undefined {
  const file = ctx.files.get(e.origin.file);
  const stmt = file && statementStartingAt(file.parsed, e.origin.start);
  const create = stmt && stmtOf(stmt, 'CreateExtensionStmt');
  if (!file || !stmt || !create || nodesOf(create.options, 'DefElem').length > 0) return undefined;
  const text = file.text.slice(stmt.start, stmt.end);
  const end = stmt.start + text.replace(/\s*;?\s*$/, '').length;
  return [insertBeforeStatement(file.parsed, stmt, `CREATE SCHEMA IF NOT EXISTS ${TARGET};`), { start: end, end, newText: ` SCHEMA ${TARGET}` }];
}

function usesApiRoles(catalog: Catalog): boolean {
  const api = (acl?: { grantee: string }[]) => (acl ?? []).some((i) => i.grantee === 'anon' || i.grantee === 'authenticated');
  if (catalog.defaultPrivileges.some((d) => api(d.acl))) return true;
  for (const s of catalog.schemas.values()) {
    if (api(s.acl)) return true;
    for (const t of s.tables.values()) if (api(t.acl) || t.policies.some((p) => p.roles.includes('anon') || p.roles.includes('authenticated'))) return true;
  }
  return false;
}

export const extensionInPublic = defineRule<{ mode: 'auto' | 'on' | 'off' }>({
  id: 'extension-in-public',
  meta: {
    description: 'An extension installed in public or another exposed schema, where the API exposes its functions and tables.',
    category: 'schema',
    defaultSeverity: 'info',
    fix: 'suggestion',
  },
  options: z.object({ mode: z.enum(['auto', 'on', 'off']).default('auto') }).strict(),
  checkCatalog(ctx) {
    const { catalog, exposure, options } = ctx;
    if (options.mode === 'off') return;
    // Most projects create uuid-ossp or pgcrypto in public, harmlessly when no API exposes public.
    if (options.mode === 'auto' && !exposure.supabase && !usesApiRoles(catalog)) return;
    for (const e of catalog.extensions.values()) {
      if (!exposure.schemas.includes(e.schema)) continue;
      const explicit = explicitSchema(ctx, e);
      if (!RELOCATABLE.has(e.name) && !PLACED_WHERE_ASKED.has(e.name) && explicit !== e.schema) continue;
      const name = quoteIdent(e.name);
      const relocatable = RELOCATABLE.has(e.name);
      const how = relocatable
        ? `Move it: ALTER EXTENSION ${name} SET SCHEMA ${TARGET}`
        : `It is not relocatable: DROP EXTENSION ${name} and CREATE it again WITH SCHEMA ${TARGET} (dropping removes what depends on it)`;
      const pathNote = exposure.supabase ? '' : `, and add ${TARGET} to the search_path of the roles that call its functions unqualified`;
      const message = `Extension ${e.name} is installed in schema "${e.schema}", which is exposed (${exposure.schemas.join(', ')}: ${exposure.source}): `
        + `its functions, tables and views become API endpoints and clutter the API's schema. ${how}${pathNote}.`;
      const edits = exposure.supabase ? editCreate(ctx, e) : undefined;
      const inPlace: Fix | undefined = edits && { title: `Create ${e.name} in schema ${TARGET}`, edits };
      const later = relocatable
        ? newMigrationFix(ctx.files, e.origin.file, {
          name: `move_${e.name.replace(/[^A-Za-z0-9_]/g, '_')}_to_${TARGET}`, wantsConcurrently: false,
          up: () => [`CREATE SCHEMA IF NOT EXISTS ${TARGET};`, `ALTER EXTENSION ${name} SET SCHEMA ${TARGET};`],
          down: () => [`ALTER EXTENSION ${name} SET SCHEMA ${quoteIdent(e.schema)};`],
          title: (m) => `Move ${e.name} to schema ${TARGET} in a new migration (${m.label})`,
        })
        : undefined;
      ctx.report({ origin: e.origin, object: extensionObject(e), message, fix: inPlace ?? later, otherFixes: inPlace && later ? [later] : undefined });
    }
  },
});
