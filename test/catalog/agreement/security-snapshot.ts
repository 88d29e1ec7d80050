import type { Client } from 'pg';
import type { AclItem, Catalog, Trigger } from '../../../core/src/catalog/model';
import { TEMP_SCHEMA } from '../../../core/src/catalog/model';
import { effectiveAcl } from '../../../core/src/catalog/privileges';
import { q, relName, SECURITY_KINDS } from './snapshot';

/**
 * The facts of functions, privileges, view options, extensions, triggers, comments and default privileges, as lines
 * read from pg_catalog (pg_proc, aclexplode of relacl / attacl / proacl / nspacl, pg_class.reloptions, pg_extension,
 * pg_trigger, pg_description, pg_default_acl) and rendered from pgvet's catalog, the same shape from both sides.
 * None holds an expression PostgreSQL must print (a trigger's WHEN is compared as present or not), so no line needs
 * normalising through the server.
 */
export type SecurityKind = (typeof SECURITY_KINDS)[number];
export type SecurityFacts = Map<SecurityKind, string[]>;

const empty = (): SecurityFacts => new Map(SECURITY_KINDS.map((k) => [k, []]));

const NOT_SYSTEM_NSP = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'`;
const notExtensionMember = (catalog: string, oid: string) =>
  `NOT EXISTS (SELECT 1 FROM pg_depend dep WHERE dep.classid = '${catalog}'::regclass AND dep.objid = ${oid} AND dep.deptype = 'e')`;
/**
 * Functions an extension made, and the constructors CREATE TYPE … AS RANGE makes (an internal dependency on the
 * type: hatchet's uuidrange(uuid, uuid)): the catalog keeps neither (it has range types as names only).
 */
const USER_FUNCTION = `p.prokind IN ('f', 'p') AND ${notExtensionMember('pg_proc', 'p.oid')}
  AND NOT EXISTS (SELECT 1 FROM pg_depend dep WHERE dep.classid = 'pg_proc'::regclass AND dep.objid = p.oid AND dep.refclassid = 'pg_type'::regclass AND dep.deptype = 'i')`;

/** One ACL row; MAINTAIN (PostgreSQL 17's addition to a table's ALL) is left out on both sides (catalog/privileges.ts). */
const aclLine = (object: string, grantee: string, privilege: string, grantable: boolean) => `${object} ${q(grantee)} ${privilege}${grantable ? '*' : ''}`;
const SKIPPED_PRIVILEGES = new Set(['MAINTAIN']);

const ENABLED: Record<string, string> = { O: 'origin', D: 'disabled', R: 'replica', A: 'always' };

function triggerLine(rel: string, t: { name: string; timing: string; level: string; events: string[]; columns?: string[]; fn: string; enabled: string; when: boolean; constraint: boolean }): string {
  return `${rel} ${q(t.name)} ${t.timing} ${t.level} ${t.events.join('|')}${t.columns?.length ? ` of (${t.columns.join(',')})` : ''} executes ${t.fn} ${t.enabled}${t.when ? ' when' : ''}${t.constraint ? ' constraint' : ''}`;
}

const functionName = (schema: string, name: string, args: string) => `${q(schema)}.${q(name)}(${args})`;

/** An ACL's object: `relation "s"."t"`, `function "s"."f"(integer)`, `schema "s"` (names JSON-quoted on both sides). */
function aclObject(kind: string, schema: string, name: string | null, args: string | null): string {
  if (kind === 'schema') return `schema ${q(schema)}`;
  return `${kind} ${q(schema)}.${q(name ?? '')}${kind === 'function' ? `(${args ?? ''})` : ''}`;
}

/** A comment's object: `column "s"."t"."c"`, `trigger "s"."t"."name"`, `extension "e"` … */
function commentObject(kind: string, schema: string | null, name: string | null, sub: string | null, args: string | null): string {
  if (kind === 'extension') return `extension ${q(name ?? '')}`;
  if (kind === 'schema') return `schema ${q(schema ?? '')}`;
  return `${kind} ${q(schema ?? '')}.${q(name ?? '')}${sub !== null && sub !== undefined ? `.${q(sub)}` : ''}${kind === 'function' ? `(${args ?? ''})` : ''}`;
}

/** The facts of a live database (under the session's search_path), with its extension members and system objects left out. */
export async function databaseSecurityFacts(client: Client): Promise<SecurityFacts> {
  const facts = empty();
  const add = (kind: SecurityKind, line: string) => facts.get(kind)!.push(line);

  const functions = await client.query(`SELECT n.nspname, p.proname, oidvectortypes(p.proargtypes) AS args, p.prokind, p.prosecdef, p.provolatile,
      l.lanname, p.proconfig
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang
    WHERE ${USER_FUNCTION} AND ${NOT_SYSTEM_NSP}`);
  for (const f of functions.rows) {
    const name = functionName(f.nspname, f.proname, f.args);
    add('function', `${name} ${f.prokind === 'p' ? 'procedure' : 'function'}${f.prosecdef ? ' security definer' : ''} ${({ i: 'immutable', s: 'stable', v: 'volatile' } as Record<string, string>)[f.provolatile]} ${f.lanname} config (${(f.proconfig ?? []).join('; ')})`);
  }
  const acl = await client.query(`
    SELECT 'function' AS kind, n.nspname, p.proname AS name, oidvectortypes(p.proargtypes) AS args, a.grantee, a.privilege_type, a.is_grantable
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace, aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
      WHERE ${USER_FUNCTION} AND ${NOT_SYSTEM_NSP}
    UNION ALL
    SELECT CASE WHEN c.relkind = 'S' THEN 'sequence' ELSE 'relation' END, n.nspname, c.relname, NULL, a.grantee, a.privilege_type, a.is_grantable
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace,
        aclexplode(coalesce(c.relacl, acldefault(CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::"char", c.relowner))) a
      WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S') AND ${NOT_SYSTEM_NSP} AND ${notExtensionMember('pg_class', 'c.oid')}
    UNION ALL
    SELECT 'schema', n.nspname, NULL, NULL, a.grantee, a.privilege_type, a.is_grantable
      FROM pg_namespace n, aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) a
      WHERE ${NOT_SYSTEM_NSP} AND ${notExtensionMember('pg_namespace', 'n.oid')}`);
  const roleName = async (oids: number[]) => {
    const res = await client.query('SELECT oid::int, rolname FROM pg_roles WHERE oid = ANY($1)', [oids]);
    return new Map<number, string>(res.rows.map((r) => [r.oid, r.rolname]));
  };
  const roles = await roleName([...new Set(acl.rows.map((r) => Number(r.grantee)))]);
  for (const r of acl.rows) {
    if (SKIPPED_PRIVILEGES.has(r.privilege_type)) continue;
    add('acl', aclLine(aclObject(r.kind, r.nspname, r.name, r.args), Number(r.grantee) === 0 ? 'public' : roles.get(Number(r.grantee)) ?? String(r.grantee), r.privilege_type, r.is_grantable));
  }
  const columnAcl = await client.query(`SELECT n.nspname, c.relname, a.attname, x.privilege_type, x.is_grantable,
      CASE WHEN x.grantee = 0 THEN 'public' ELSE pg_get_userbyid(x.grantee)::text END AS grantee
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace, aclexplode(a.attacl) x
    WHERE a.attacl IS NOT NULL AND a.attnum > 0 AND NOT a.attisdropped AND ${NOT_SYSTEM_NSP}`);
  for (const r of columnAcl.rows) add('column-acl', aclLine(`${relName(r.nspname, r.relname)}.${q(r.attname)}`, r.grantee, r.privilege_type, r.is_grantable));

  const defaults = await client.query(`SELECT pg_get_userbyid(d.defaclrole) AS role, n.nspname, d.defaclobjtype,
      CASE WHEN x.grantee = 0 THEN 'public' ELSE pg_get_userbyid(x.grantee)::text END AS grantee, x.privilege_type, x.is_grantable
    FROM pg_default_acl d LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace, aclexplode(d.defaclacl) x`);
  const objtype: Record<string, string> = { r: 'tables', S: 'sequences', f: 'functions', T: 'types', n: 'schemas' };
  for (const r of defaults.rows) add('default-acl', aclLine(`${q(r.role)} in ${r.nspname ? q(r.nspname) : '*'} ${objtype[r.defaclobjtype]}`, r.grantee, r.privilege_type, r.is_grantable));

  const triggers = await client.query(`SELECT n.nspname, c.relname, t.tgname, t.tgtype, t.tgenabled, t.tgqual IS NOT NULL AS has_when, t.tgconstraint <> 0 AS is_constraint,
      (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(t.tgattr::int2[]) WITH ORDINALITY k(attnum, ord) JOIN pg_attribute a ON a.attrelid = t.tgrelid AND a.attnum = k.attnum) AS cols,
      CASE WHEN fn.nspname = 'pg_catalog' OR EXISTS (SELECT 1 FROM pg_depend dep WHERE dep.classid = 'pg_proc'::regclass AND dep.objid = p.oid AND dep.deptype = 'e')
        THEN '?' ELSE fn.nspname END AS fschema, p.proname
    FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_proc p ON p.oid = t.tgfoid JOIN pg_namespace fn ON fn.oid = p.pronamespace
    WHERE NOT t.tgisinternal AND t.tgparentid = 0 AND ${NOT_SYSTEM_NSP}`);
  for (const t of triggers.rows) {
    const type = Number(t.tgtype);
    const events = ([[4, 'insert'], [16, 'update'], [8, 'delete'], [32, 'truncate']] as const).filter(([bit]) => type & bit).map(([, e]) => e);
    add('trigger', triggerLine(relName(t.nspname, t.relname), {
      name: t.tgname, timing: type & 64 ? 'instead of' : type & 2 ? 'before' : 'after', level: type & 1 ? 'row' : 'statement', events, columns: t.cols ?? undefined,
      fn: `${t.fschema === '?' ? '?' : q(t.fschema)}.${q(t.proname)}`, enabled: ENABLED[t.tgenabled], when: t.has_when, constraint: t.is_constraint,
    }));
  }

  const options = await client.query(`SELECT n.nspname, c.relname, o AS option FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, unnest(c.reloptions) o
    WHERE c.relkind IN ('v', 'm') AND ${NOT_SYSTEM_NSP} AND ${notExtensionMember('pg_class', 'c.oid')}`);
  for (const o of options.rows) add('view-option', `${relName(o.nspname, o.relname)} ${o.option}`);

  const extensions = await client.query(`SELECT e.extname, n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname <> 'plpgsql'`);
  for (const e of extensions.rows) add('extension', `${q(e.extname)} in ${q(e.nspname)}`);

  // Relations of the kinds the catalog models (foreign tables are not), and the objects on them, by their names.
  const comments = await client.query(`SELECT d.description, o.* FROM pg_description d CROSS JOIN LATERAL (
        SELECT CASE WHEN d.objsubid = 0 THEN 'relation' ELSE 'column' END AS kind, n.nspname, c.relname AS name,
            (SELECT attname FROM pg_attribute WHERE attrelid = c.oid AND attnum = d.objsubid)::text AS sub, NULL AS args
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE d.classoid = 'pg_class'::regclass AND c.oid = d.objoid AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'i', 'I') AND ${NOT_SYSTEM_NSP} AND ${notExtensionMember('pg_class', 'c.oid')}
        UNION ALL SELECT 'function', n.nspname, p.proname, NULL, oidvectortypes(p.proargtypes)
          FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE d.classoid = 'pg_proc'::regclass AND p.oid = d.objoid AND ${NOT_SYSTEM_NSP} AND ${USER_FUNCTION}
        UNION ALL SELECT 'schema', n.nspname, NULL, NULL, NULL FROM pg_namespace n WHERE d.classoid = 'pg_namespace'::regclass AND n.oid = d.objoid AND ${NOT_SYSTEM_NSP}
        UNION ALL SELECT 'constraint', n.nspname, c.relname, k.conname, NULL
          FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE d.classoid = 'pg_constraint'::regclass AND k.oid = d.objoid
        UNION ALL SELECT 'trigger', n.nspname, c.relname, t.tgname, NULL
          FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE d.classoid = 'pg_trigger'::regclass AND t.oid = d.objoid
        UNION ALL SELECT 'policy', n.nspname, c.relname, p.polname, NULL
          FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE d.classoid = 'pg_policy'::regclass AND p.oid = d.objoid
        UNION ALL SELECT 'type', n.nspname, t.typname, NULL, NULL FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
          WHERE d.classoid = 'pg_type'::regclass AND t.oid = d.objoid AND t.typtype = 'e' AND ${notExtensionMember('pg_type', 't.oid')}
        UNION ALL SELECT 'extension', NULL, e.extname, NULL, NULL FROM pg_extension e WHERE d.classoid = 'pg_extension'::regclass AND e.oid = d.objoid AND e.extname <> 'plpgsql'
      ) o`);
  for (const c of comments.rows) add('comment', `${commentObject(c.kind, c.nspname, c.name, c.sub, c.args)} = ${c.description}`);
  for (const lines of facts.values()) lines.sort();
  return facts;
}

/** The same facts from pgvet's catalog. `role` is the role that ran the migrations (the owner of what they made). */
export function catalogSecurityFacts(catalog: Catalog): SecurityFacts {
  const facts = empty();
  const add = (kind: SecurityKind, line: string) => facts.get(kind)!.push(line);
  const addAcl = (object: string, acl: readonly AclItem[]) => {
    for (const i of acl) if (!SKIPPED_PRIVILEGES.has(i.privilege)) add('acl', aclLine(object, i.grantee, i.privilege, i.grantable));
  };
  const knownTriggerFunction = (f: Trigger['function']) =>
    f.schema !== undefined && (catalog.schemas.get(f.schema)?.functions.get(f.name) ?? []).some((x) => x.args.length === 0);
  const schemas = [...catalog.schemas.values()].filter((s) => s.name !== TEMP_SCHEMA);
  if (!catalog.schemas.has('public')) addAcl(aclObject('schema', 'public', null, null), effectiveAcl(catalog, 'schema', { name: 'public' }));
  for (const s of schemas) {
    addAcl(aclObject('schema', s.name, null, null), effectiveAcl(catalog, 'schema', s));
    if (s.comment !== undefined) add('comment', `${commentObject('schema', s.name, null, null, null)} = ${s.comment}`);
    for (const f of [...s.functions.values()].flat()) {
      const name = functionName(f.schema, f.name, f.args.join(', '));
      add('function', `${name} ${f.kind}${f.securityDefiner ? ' security definer' : ''} ${f.volatility} ${f.language} config (${f.config.join('; ')})`);
      addAcl(aclObject('function', f.schema, f.name, f.args.join(', ')), effectiveAcl(catalog, 'function', f));
      if (f.comment !== undefined) add('comment', `${commentObject('function', f.schema, f.name, null, f.args.join(', '))} = ${f.comment}`);
    }
    for (const seq of s.sequences.values()) {
      addAcl(aclObject('sequence', seq.schema, seq.name, null), effectiveAcl(catalog, 'sequence', seq));
      if (seq.comment !== undefined) add('comment', `${commentObject('relation', seq.schema, seq.name, null, null)} = ${seq.comment}`);
    }
    for (const rel of [...s.tables.values(), ...s.views.values()]) {
      const on = (kind: string, sub: string | null) => commentObject(kind, rel.schema, rel.name, sub, null);
      addAcl(aclObject('relation', rel.schema, rel.name, null), effectiveAcl(catalog, 'table', rel));
      if (rel.comment !== undefined) add('comment', `${on('relation', null)} = ${rel.comment}`);
      for (const c of rel.columns ?? []) {
        for (const i of c.acl ?? []) add('column-acl', aclLine(`${relName(rel.schema, rel.name)}.${q(c.name)}`, i.grantee, i.privilege, i.grantable));
        if (c.comment !== undefined) add('comment', `${on('column', c.name)} = ${c.comment}`);
      }
      for (const i of rel.indexes) if (i.comment !== undefined) add('comment', `${commentObject('relation', rel.schema, i.name, null, null)} = ${i.comment}`);
      for (const t of rel.triggers ?? []) {
        add('trigger', triggerLine(relName(rel.schema, rel.name), {
          ...t, fn: `${knownTriggerFunction(t.function) ? q(t.function.schema!) : '?'}.${q(t.function.name)}`, events: (['insert', 'update', 'delete', 'truncate'] as const).filter((e) => t.events.includes(e)),
          when: t.when !== undefined, constraint: !!t.constraint,
        }));
        if (t.comment !== undefined) add('comment', `${on('trigger', t.name)} = ${t.comment}`);
      }
      if ('materialized' in rel) for (const [k, v] of Object.entries(rel.options ?? {})) add('view-option', `${relName(rel.schema, rel.name)} ${k}=${v}`);
      if ('primaryKey' in rel) {
        for (const k of [...(rel.primaryKey ? [rel.primaryKey] : []), ...rel.uniqueConstraints, ...rel.foreignKeys, ...rel.checks]) {
          if (k.comment !== undefined) add('comment', `${on('constraint', k.name)} = ${k.comment}`);
        }
        for (const p of rel.policies) if (p.comment !== undefined) add('comment', `${on('policy', p.name)} = ${p.comment}`);
      }
    }
    for (const e of s.enums.values()) if (e.comment !== undefined) add('comment', `${commentObject('type', e.schema, e.name, null, null)} = ${e.comment}`);
  }
  for (const d of catalog.defaultPrivileges) {
    for (const i of d.acl) add('default-acl', aclLine(`${q(d.role)} in ${d.schema !== undefined ? q(d.schema) : '*'} ${d.objects}`, i.grantee, i.privilege, i.grantable));
  }
  for (const e of catalog.extensions.values()) {
    add('extension', `${q(e.name)} in ${q(e.schema)}`);
    if (e.comment !== undefined) add('comment', `${commentObject('extension', null, e.name, null, null)} = ${e.comment}`);
  }
  for (const lines of facts.values()) lines.sort();
  return facts;
}
