import type { HistoryFile } from '../catalog/history-file';
import type { FunctionSignature, Origin } from '../catalog/model';
import { quoteIdent, stmtOf } from '../parse/sql/ast';
import { nodesOf, stringOf } from '../parse/sql/nodes';

/** `ALTER FUNCTION`'s object: `"schema".name(arg, types)`, bare in public; PROCEDURE for procedures. */
export function functionReference(f: FunctionSignature): string {
  const name = f.schema === 'public' ? quoteIdent(f.name) : `${quoteIdent(f.schema)}.${quoteIdent(f.name)}`;
  return `${f.kind === 'procedure' ? 'PROCEDURE' : 'FUNCTION'} ${name}(${f.args.join(', ')})`;
}

/** How messages name a function: `name(int, text)`, `auth.uid()` outside public. */
export function functionLabel(f: FunctionSignature): string {
  return `${f.schema === 'public' ? '' : `${f.schema}.`}${f.name}(${f.args.join(', ')})`;
}

/**
 * Roles the history explicitly REVOKEs EXECUTE from on a function (by schema and name, any overload, or through
 * `ALL FUNCTIONS IN SCHEMA`), after `after` in history order. The catalog's ACL cannot tell "never granted" from
 * "revoked"; this can, for grants the catalog does not see (Supabase's default privileges on the platform).
 */
export function revokedExecute(files: ReadonlyMap<string, HistoryFile>, f: FunctionSignature, after: (o: Origin) => boolean): Set<string> {
  const out = new Set<string>();
  for (const r of executeRevokes(files)) {
    if (!after(r.origin) || !r.names.some(([schema, name]) => schema === f.schema && (name === undefined || name === f.name))) continue;
    for (const role of r.roles) out.add(role);
  }
  return out;
}

interface ExecuteRevoke {
  origin: Origin;
  /** Schema and function name, or schema alone for `ALL FUNCTIONS IN SCHEMA`. */
  names: (readonly [string | undefined, string | undefined])[];
  roles: string[];
}

const revokesByHistory = new WeakMap<ReadonlyMap<string, HistoryFile>, ExecuteRevoke[]>();

/** The history's REVOKE EXECUTE statements, read once per history (rules ask per function). */
function executeRevokes(files: ReadonlyMap<string, HistoryFile>): ExecuteRevoke[] {
  const known = revokesByHistory.get(files);
  if (known) return known;
  const out: ExecuteRevoke[] = [];
  for (const file of files.values()) {
    for (const s of file.parsed.statements) {
      const g = stmtOf(s, 'GrantStmt');
      if (!g || g.is_grant || g.grant_option || !['OBJECT_FUNCTION', 'OBJECT_ROUTINE', 'OBJECT_PROCEDURE'].includes(g.objtype ?? '')) continue;
      const privileges = nodesOf(g.privileges, 'AccessPriv').map((p) => p.priv_name?.toLowerCase());
      if (privileges.length && !privileges.includes('execute')) continue;
      const names = g.targtype === 'ACL_TARGET_ALL_IN_SCHEMA'
        ? (g.objects ?? []).map((o) => [stringOf(o), undefined] as const)
        : nodesOf(g.objects, 'ObjectWithArgs').map((o) => {
          const parts = (o.objname ?? []).map((n) => stringOf(n) ?? '');
          return parts.length > 1 ? [parts[0], parts[1]] as const : ['public', parts[0]] as const;
        });
      const roles = nodesOf(g.grantees, 'RoleSpec').map((r) => (r.roletype === 'ROLESPEC_PUBLIC' ? 'public' : r.rolename ?? ''));
      out.push({ origin: { file: file.path, start: s.start, end: s.end }, names, roles });
    }
  }
  revokesByHistory.set(files, out);
  return out;
}
