import type { AlterDefaultPrivilegesStmt, GrantStmt, Node, RoleSpec } from '@pgsql/types';
import { nodeOf, nodesOf, stringOf } from '../../parse/sql/nodes';
import type { AclItem, DefaultPrivilegeObjects, DefaultPrivileges, Privilege, Sequence, Table, View } from '../model';
import { ALL_PRIVILEGES, defaultAcl, effectiveAcl, grantAcl, migrationRole, PUBLIC, revokeAcl, sameAcl, type AclObjectKind } from '../privileges';
import { writableSequence, writableTable, writableView } from '../snapshot';
import { ensureSchema, findTable, findView, lookupSchemas, strings, type ReplayContext } from './context';
import { findFunctions, replaceFunction } from './functions';

/** GRANT / REVOKE on tables, views, columns, sequences, functions and schemas, and ALTER DEFAULT PRIVILEGES (see catalog/privileges.ts). */

/** A role as ACLs name it: PUBLIC is `public`; CURRENT_USER and friends are the role the migrations run as. */
export function roleName(ctx: ReplayContext, spec: RoleSpec | undefined): string {
  switch (spec?.roletype) {
    case 'ROLESPEC_PUBLIC': return PUBLIC;
    case 'ROLESPEC_CURRENT_USER': case 'ROLESPEC_SESSION_USER': case 'ROLESPEC_CURRENT_ROLE': return migrationRole(ctx.catalog);
    default: return spec?.rolename ?? '';
  }
}

const roleNames = (ctx: ReplayContext, roles: Node[] | undefined) => (roles ?? []).map((r) => roleName(ctx, nodeOf(r, 'RoleSpec')));

interface Requested {
  /** undefined: ALL. */
  privileges?: Privilege[];
  /** Column privileges: `SELECT (a, b)`. */
  columns: { privilege?: Privilege; columns: string[] }[];
}

function requested(n: GrantStmt): Requested {
  const privileges: Privilege[] = [];
  const columns: Requested['columns'] = [];
  for (const p of nodesOf(n.privileges, 'AccessPriv')) {
    const name = p.priv_name?.toUpperCase() as Privilege | undefined;
    if (p.cols?.length) columns.push({ privilege: name, columns: strings(p.cols) });
    else if (name) privileges.push(name);
  }
  return { privileges: n.privileges?.length ? privileges : undefined, columns };
}

/** The privileges of `want` that apply to `kind` (GRANT ALL ON TABLE of a sequence gives the sequence's ALL). */
function applicable(kind: AclObjectKind, want: Privilege[] | undefined): Privilege[] {
  const all = ALL_PRIVILEGES[kind];
  return want === undefined ? [...all] : want.filter((p) => all.includes(p));
}

function changed(n: GrantStmt, acl: AclItem[], grantees: string[], privileges: Privilege[]): AclItem[] {
  return n.is_grant ? grantAcl(acl, grantees, privileges, !!n.grant_option) : revokeAcl(acl, grantees, privileges, !!n.grant_option);
}

export function grant(ctx: ReplayContext, n: GrantStmt): void {
  if (n.targtype === 'ACL_TARGET_DEFAULTS') return;
  const grantees = roleNames(ctx, n.grantees);
  const want = requested(n);
  const inSchemas = n.targtype === 'ACL_TARGET_ALL_IN_SCHEMA' ? strings(n.objects).map((s) => ctx.catalog.schemas.get(s)).filter((s) => s !== undefined) : undefined;
  const catalog = ctx.catalog;
  switch (n.objtype) {
    case 'OBJECT_TABLE': case 'OBJECT_SEQUENCE': case 'OBJECT_FOREIGN_TABLE': {
      const sequencesOnly = n.objtype === 'OBJECT_SEQUENCE';
      const relations: (Table | View | Sequence)[] = inSchemas
        ? inSchemas.flatMap((s): (Table | View | Sequence)[] => (sequencesOnly ? [...s.sequences.values()] : [...s.tables.values(), ...s.views.values()]))
        : nodesOf(n.objects, 'RangeVar').map((rv): Table | View | Sequence | undefined => {
          if (!sequencesOnly) { const r = findTable(ctx, rv) ?? findView(ctx, rv); if (r) return r; }
          return lookupSchemas(ctx, rv.schemaname).map((s) => s.sequences.get(rv.relname ?? '')).find((x) => x !== undefined);
        }).filter((r): r is Table | View | Sequence => r !== undefined);
      for (const shared of relations) {
        if (!('indexes' in shared)) {
          const seq = writableSequence(catalog, shared);
          seq.acl = changed(n, effectiveAcl(catalog, 'sequence', seq), grantees, applicable('sequence', want.privileges));
          continue;
        }
        const rel = 'materialized' in shared ? writableView(catalog, shared) : writableTable(catalog, shared);
        if (want.privileges === undefined || want.privileges.length) {
          const privileges = applicable('table', want.privileges);
          rel.acl = changed(n, effectiveAcl(catalog, 'table', rel), grantees, privileges);
          // REVOKE on the table revokes the same privileges on its columns too.
          if (!n.is_grant) for (const c of rel.columns ?? []) if (c.acl) c.acl = revokeAcl(c.acl, grantees, privileges, !!n.grant_option);
        }
        for (const { privilege, columns } of want.columns) {
          for (const c of rel.columns ?? []) {
            if (!columns.includes(c.name)) continue;
            c.acl = changed(n, c.acl ?? [], grantees, applicable('column', privilege ? [privilege] : undefined));
          }
        }
      }
      return;
    }
    case 'OBJECT_FUNCTION': case 'OBJECT_PROCEDURE': case 'OBJECT_ROUTINE': {
      const kind = n.objtype === 'OBJECT_FUNCTION' ? 'function' : n.objtype === 'OBJECT_PROCEDURE' ? 'procedure' : undefined;
      const hits = inSchemas
        ? inSchemas.flatMap((schema) => [...schema.functions.values()].flat().filter((f) => !kind || f.kind === kind).map((f) => ({ schema, function: f })))
        : nodesOf(n.objects, 'ObjectWithArgs').flatMap((o) => findFunctions(ctx, o));
      for (const { schema, function: f } of hits) {
        replaceFunction(schema, f, { ...f, acl: changed(n, effectiveAcl(catalog, 'function', f), grantees, applicable('function', want.privileges)) });
      }
      return;
    }
    case 'OBJECT_SCHEMA': {
      for (const name of nodesOf(n.objects, 'String').map((s) => s.sval ?? '')) {
        // public exists before the history names it (initdb makes it): a GRANT may be the first statement about it.
        const schema = name === 'public' ? ensureSchema(ctx, name) : catalog.schemas.get(name);
        if (schema) schema.acl = changed(n, effectiveAcl(catalog, 'schema', schema), grantees, applicable('schema', want.privileges));
      }
      return;
    }
    default:
      return; // types, databases, languages, large objects …: not modelled
  }
}

const DEFAULT_OBJECTS: Partial<Record<string, { objects: DefaultPrivilegeObjects; kind: AclObjectKind }>> = {
  OBJECT_TABLE: { objects: 'tables', kind: 'table' },
  OBJECT_SEQUENCE: { objects: 'sequences', kind: 'sequence' },
  OBJECT_FUNCTION: { objects: 'functions', kind: 'function' },
  OBJECT_PROCEDURE: { objects: 'functions', kind: 'function' },
  OBJECT_ROUTINE: { objects: 'functions', kind: 'function' },
  OBJECT_SCHEMA: { objects: 'schemas', kind: 'schema' },
};

/**
 * ALTER DEFAULT PRIVILEGES [FOR ROLE r, …] [IN SCHEMA s, …] GRANT | REVOKE …: one pg_default_acl entry per role,
 * schema and kind. A global entry starts from the built-in default and is dropped when it is back to it; a
 * schema's entry starts empty and is dropped when empty.
 */
export function alterDefaultPrivileges(ctx: ReplayContext, n: AlterDefaultPrivilegesStmt): void {
  const action = n.action;
  const target = action && DEFAULT_OBJECTS[action.objtype ?? ''];
  if (!action || !target) return; // types, large objects: not modelled
  const options = nodesOf(n.options, 'DefElem');
  const listOf = (name: string) => nodeOf(options.find((d) => d.defname === name)?.arg, 'List')?.items;
  const roles = listOf('roles')?.map((r) => roleName(ctx, nodeOf(r, 'RoleSpec'))) ?? [migrationRole(ctx.catalog)];
  const schemas = listOf('schemas')?.map((s) => stringOf(s) ?? '') ?? [undefined];
  const grantees = roleNames(ctx, action.grantees);
  const privileges = applicable(target.kind, requested(action).privileges);
  for (const role of roles) {
    for (const schema of schemas) {
      const same = (d: DefaultPrivileges) => d.role === role && d.schema === schema && d.objects === target.objects;
      const entry = ctx.catalog.defaultPrivileges.find(same);
      const start = entry?.acl ?? (schema === undefined ? defaultAcl(target.kind, role) : []);
      const acl = changed(action, start, grantees, privileges);
      const rest = ctx.catalog.defaultPrivileges.filter((d) => !same(d));
      const empty = schema === undefined ? sameAcl(acl, defaultAcl(target.kind, role)) : acl.length === 0;
      ctx.catalog.defaultPrivileges = empty ? rest : [...rest, { role, ...(schema !== undefined ? { schema } : {}), objects: target.objects, acl }];
    }
  }
}
