import type { AclItem, Catalog, DefaultPrivilegeObjects, FunctionSignature, Privilege, Schema, Sequence, Table, View } from './model';

/**
 * Access privileges as PostgreSQL keeps them: an object's ACL is one AclItem per grantee and privilege (the rows of
 * aclexplode), and an object whose ACL was never set (`acl` undefined, NULL in pg_catalog) has the built-in default,
 * acldefault(): everything for its owner, plus EXECUTE for PUBLIC on functions. The first GRANT or REVOKE starts
 * from that default, as in PostgreSQL. Objects the history creates after `ALTER DEFAULT PRIVILEGES` start from the
 * ACL those entries give.
 *
 * Owners the history never names (no `OWNER TO`) are the role that ran the migrations: `catalog.role` when known,
 * else the placeholder `current_user`.
 *
 * Written for PostgreSQL 15 and 16: from 17 on, ALL on a table includes MAINTAIN, which the catalog leaves out.
 */

export type AclObjectKind = 'table' | 'sequence' | 'function' | 'schema' | 'column';

/** What GRANT ALL gives on each kind of object, in acldefault's order. */
export const ALL_PRIVILEGES: Record<AclObjectKind, readonly Privilege[]> = {
  table: ['INSERT', 'SELECT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER'],
  sequence: ['USAGE', 'SELECT', 'UPDATE'],
  function: ['EXECUTE'],
  schema: ['USAGE', 'CREATE'],
  column: ['INSERT', 'SELECT', 'UPDATE', 'REFERENCES'],
};

/** The grantee name of PUBLIC. */
export const PUBLIC = 'public';
/** The owner of an object whose owner the history does not say and whose migration role is unknown. */
export const MIGRATION_ROLE = 'current_user';

/** The role a new object gets as owner: the role the migrations run as. */
export function migrationRole(catalog: Catalog): string {
  return catalog.role ?? MIGRATION_ROLE;
}

export function ownerOf(catalog: Catalog, object: { owner?: string }): string {
  return object.owner ?? migrationRole(catalog);
}

/** acldefault(kind, owner). */
export function defaultAcl(kind: AclObjectKind, owner: string): AclItem[] {
  if (kind === 'column') return [];
  const own = ALL_PRIVILEGES[kind].map((privilege) => ({ grantee: owner, privilege, grantable: false }));
  return kind === 'function' ? [{ grantee: PUBLIC, privilege: 'EXECUTE', grantable: false }, ...own] : own;
}

/** The schema `public` as initdb makes it (PostgreSQL 15 and later): owned by pg_database_owner, USAGE for everyone. */
const PUBLIC_SCHEMA_ACL: AclItem[] = [
  { grantee: 'pg_database_owner', privilege: 'USAGE', grantable: false },
  { grantee: 'pg_database_owner', privilege: 'CREATE', grantable: false },
  { grantee: PUBLIC, privilege: 'USAGE', grantable: false },
];

/** The ACL in force on a table, view, sequence, function or schema: its own, or the default. */
export function effectiveAcl(catalog: Catalog, kind: Exclude<AclObjectKind, 'column'>, object: { acl?: AclItem[]; owner?: string; name: string }): AclItem[] {
  if (object.acl) return object.acl;
  if (kind === 'schema' && object.name === 'public' && object.owner === undefined) return PUBLIC_SCHEMA_ACL;
  return defaultAcl(kind, ownerOf(catalog, object));
}

/** GRANT: adds each grantee × privilege; WITH GRANT OPTION makes an existing item grantable. Returns a new list. */
export function grantAcl(acl: readonly AclItem[], grantees: readonly string[], privileges: readonly Privilege[], grantable: boolean): AclItem[] {
  const out = acl.map((i) => ({ ...i }));
  for (const grantee of grantees) {
    for (const privilege of privileges) {
      const item = out.find((i) => i.grantee === grantee && i.privilege === privilege);
      if (item) item.grantable ||= grantable;
      else out.push({ grantee, privilege, grantable });
    }
  }
  return out;
}

/** REVOKE, or REVOKE GRANT OPTION FOR (`grantOptionOnly`). Returns a new list. */
export function revokeAcl(acl: readonly AclItem[], grantees: readonly string[], privileges: readonly Privilege[], grantOptionOnly: boolean): AclItem[] {
  const hit = (i: AclItem) => grantees.includes(i.grantee) && privileges.includes(i.privilege);
  if (grantOptionOnly) return acl.map((i) => (hit(i) ? { ...i, grantable: false } : { ...i }));
  return acl.filter((i) => !hit(i)).map((i) => ({ ...i }));
}

/** Same items, in any order. */
export function sameAcl(a: readonly AclItem[], b: readonly AclItem[]): boolean {
  const key = (i: AclItem) => `${i.grantee}\0${i.privilege}\0${i.grantable}`;
  const sa = new Set(a.map(key));
  return a.length === b.length && b.every((i) => sa.has(key(i)));
}

/** ALTER … OWNER TO: the old owner's items pass to the new owner (PostgreSQL's aclnewowner). */
export function aclForNewOwner(acl: readonly AclItem[] | undefined, from: string, to: string): AclItem[] | undefined {
  if (!acl) return undefined;
  const out: AclItem[] = [];
  for (const i of acl) {
    const grantee = i.grantee === from ? to : i.grantee;
    const same = out.find((x) => x.grantee === grantee && x.privilege === i.privilege);
    if (same) same.grantable ||= i.grantable;
    else out.push({ ...i, grantee });
  }
  return out;
}

const OBJECTS_OF: Record<'table' | 'sequence' | 'function' | 'schema', DefaultPrivilegeObjects> = {
  table: 'tables', sequence: 'sequences', function: 'functions', schema: 'schemas',
};

/**
 * The ACL a new object gets from ALTER DEFAULT PRIVILEGES (PostgreSQL's get_user_default_acl): the owner's global
 * entry for the kind (or the built-in default), plus its entry for the object's schema; undefined when that is
 * just the built-in default.
 */
export function creationAcl(catalog: Catalog, kind: 'table' | 'sequence' | 'function' | 'schema', owner: string, schema: string | undefined): AclItem[] | undefined {
  const objects = OBJECTS_OF[kind];
  const entries = catalog.defaultPrivileges.filter((d) => d.role === owner && d.objects === objects);
  if (entries.length === 0) return undefined;
  const builtIn = defaultAcl(kind, owner);
  let acl = entries.find((d) => d.schema === undefined)?.acl ?? builtIn;
  const inSchema = kind === 'schema' ? undefined : entries.find((d) => d.schema === schema);
  if (inSchema) for (const i of inSchema.acl) acl = grantAcl(acl, [i.grantee], [i.privilege], i.grantable);
  return sameAcl(acl, builtIn) ? undefined : acl;
}

/** Whether `role` holds `privilege` directly or through PUBLIC (role membership is not modelled). */
function holds(acl: readonly AclItem[], role: string, privilege: Privilege): boolean {
  return acl.some((i) => i.privilege === privilege && (i.grantee === role || i.grantee === PUBLIC));
}

/** Can `role` (or everyone, for `public`) call the function? PUBLIC has EXECUTE on every function unless revoked. */
export function canExecute(catalog: Catalog, f: FunctionSignature, role: string): boolean {
  return holds(effectiveAcl(catalog, 'function', f), role, 'EXECUTE');
}

/** The roles (`public` for PUBLIC) granted `privilege` on a table, view or sequence, on the whole relation. */
export function rolesWithPrivilege(catalog: Catalog, relation: Table | View | Sequence, privilege: Privilege): string[] {
  const kind = 'columns' in relation || 'materialized' in relation ? 'table' : 'sequence';
  return [...new Set(effectiveAcl(catalog, kind, relation).filter((i) => i.privilege === privilege).map((i) => i.grantee))];
}

/** The roles granted `privilege` on some column of a table or view (column privileges, beyond the table's). */
export function rolesWithColumnPrivilege(relation: Table | View, privilege: Privilege): string[] {
  return [...new Set((relation.columns ?? []).flatMap((c) => (c.acl ?? []).filter((i) => i.privilege === privilege).map((i) => i.grantee)))];
}

/** Can `role` use (look up objects in) the schema? */
export function canUseSchema(catalog: Catalog, schema: Schema, role: string): boolean {
  return holds(effectiveAcl(catalog, 'schema', schema), role, 'USAGE');
}

/** The ALTER DEFAULT PRIVILEGES entries that grant `privilege` on future `objects` (in `schema`, or everywhere) to anyone. */
export function defaultGrants(catalog: Catalog, objects: DefaultPrivilegeObjects, privilege: Privilege, schema?: string): { role: string; schema?: string; grantee: string }[] {
  return catalog.defaultPrivileges
    .filter((d) => d.objects === objects && (d.schema === undefined || schema === undefined || d.schema === schema))
    .flatMap((d) => d.acl.filter((i) => i.privilege === privilege && i.grantee !== d.role).map((i) => ({ role: d.role, ...(d.schema !== undefined ? { schema: d.schema } : {}), grantee: i.grantee })));
}
