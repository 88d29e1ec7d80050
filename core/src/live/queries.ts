/**
 * The pg_catalog queries the live reader runs (read-catalog.ts), one per object kind. Each takes the schemas to read
 * as `$1::text[]` and leaves out what an extension made (pg_depend deptype 'e'): the catalog a history replays has
 * an extension's name and schema, not its members. Expressions are read as PostgreSQL prints them (pg_get_expr,
 * pg_get_indexdef …) under the session's search_path, which the reader sets to `public` first.
 */

const IN_SCHEMAS = 'n.nspname = ANY($1::text[])';
const notMember = (catalog: string, oid: string) =>
  `NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '${catalog}'::regclass AND e.objid = ${oid} AND e.deptype = 'e')`;
const role = (oid: string) => `CASE WHEN ${oid} = 0 THEN 'public' ELSE pg_get_userbyid(${oid})::text END`;
/** An ACL as aclexplode rows (`[{grantee, privilege, grantable}]`), PostgreSQL's default when the column is NULL. */
const acl = (column: string, kind: string, owner: string) =>
  `(SELECT coalesce(json_agg(json_build_object('grantee', ${role('x.grantee')}, 'privilege', x.privilege_type, 'grantable', x.is_grantable)), '[]')
    FROM aclexplode(coalesce(${column}, acldefault(${kind}, ${owner}))) x)`;
const colNames = (keys: string, relid: string) =>
  `(SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(${keys}) WITH ORDINALITY k(attnum, ord) JOIN pg_attribute a ON a.attrelid = ${relid} AND a.attnum = k.attnum)`;

/** Non-system schemas (pg_catalog, information_schema, TOAST and temporary ones are PostgreSQL's own). */
export const SCHEMA_NAMES = `SELECT n.nspname FROM pg_namespace n
  WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
    AND ${notMember('pg_namespace', 'n.oid')} ORDER BY 1`;

export const SCHEMAS = `SELECT n.nspname, pg_get_userbyid(n.nspowner) AS owner, ${acl('n.nspacl', "'n'", 'n.nspowner')} AS acl,
    obj_description(n.oid, 'pg_namespace') AS comment
  FROM pg_namespace n WHERE ${IN_SCHEMAS}`;

/** Tables, partitioned tables, views and materialized views, with what belongs to the relation itself. */
export const RELATIONS = `SELECT c.oid::int AS oid, n.nspname, c.relname, c.relkind, c.relrowsecurity, c.relforcerowsecurity, c.reloptions,
    pg_get_userbyid(c.relowner) AS owner, ${acl('c.relacl', "'r'", 'c.relowner')} AS acl, obj_description(c.oid, 'pg_class') AS comment,
    c.relispartition, pg_get_expr(c.relpartbound, c.oid) AS bound, pn.nspname AS parent_schema, p.relname AS parent,
    CASE pt.partstrat WHEN 'r' THEN 'range' WHEN 'l' THEN 'list' WHEN 'h' THEN 'hash' END AS strategy, pg_get_partkeydef(c.oid) AS partkey,
    (SELECT array_agg(CASE WHEN k.attnum = 0 THEN NULL ELSE a.attname::text END ORDER BY k.ord) FROM unnest(pt.partattrs::int2[]) WITH ORDINALITY k(attnum, ord)
       LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum) AS partcols
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_partitioned_table pt ON pt.partrelid = c.oid
  LEFT JOIN pg_inherits i ON c.relispartition AND i.inhrelid = c.oid LEFT JOIN pg_class p ON p.oid = i.inhparent LEFT JOIN pg_namespace pn ON pn.oid = p.relnamespace
  WHERE c.relkind IN ('r', 'p', 'v', 'm') AND ${IN_SCHEMAS} AND ${notMember('pg_class', 'c.oid')}
  ORDER BY c.oid`;

export const COLUMNS = `SELECT a.attrelid::int AS relid, a.attname, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull, a.attidentity, a.attgenerated,
    pg_get_expr(d.adbin, d.adrelid) AS expr, col_description(a.attrelid, a.attnum) AS comment,
    (SELECT json_agg(json_build_object('grantee', ${role('x.grantee')}, 'privilege', x.privilege_type, 'grantable', x.is_grantable)) FROM aclexplode(a.attacl) x) AS acl
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
  WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm') AND ${IN_SCHEMAS}
  ORDER BY a.attrelid, a.attnum`;

/**
 * Constraints; a CHECK a partition inherits is its parent's (the catalog keeps it on the parent only). A foreign key
 * to a partitioned table gets one internal clone per partition on the same referencing table (`…_fkey1`, whose
 * conparentid is the real one on the same table): not the user's constraint, left out. (A partition's own copy of its
 * parent's foreign key is on another table and stays: the catalog has it too.)
 */
export const CONSTRAINTS = `SELECT con.conrelid::int AS relid, con.conname, con.contype, con.condeferrable, con.condeferred, con.convalidated,
    ${colNames('con.conkey', 'con.conrelid')} AS cols, ${colNames('con.confkey', 'con.confrelid')} AS refcols,
    rn.nspname AS ref_schema, r.relname AS ref_table, con.confupdtype, con.confdeltype,
    pg_get_expr(con.conbin, con.conrelid) AS expr, obj_description(con.oid, 'pg_constraint') AS comment
  FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_class r ON r.oid = con.confrelid LEFT JOIN pg_namespace rn ON rn.oid = r.relnamespace
  WHERE con.contype IN ('p', 'u', 'f', 'c', 'x') AND NOT (con.contype = 'c' AND con.coninhcount > 0) AND ${IN_SCHEMAS}
    AND NOT EXISTS (SELECT 1 FROM pg_constraint pc WHERE pc.oid = con.conparentid AND pc.conrelid = con.conrelid)
  ORDER BY con.conrelid, con.oid`;

/**
 * Indexes with one entry per key: its column or expression (pg_get_indexdef's column text), the operator class when
 * it is not the type's default, the collation when not the column's, DESC / NULLS, the EXCLUDE operator; and what
 * constraint it backs, the partitioned index it is attached to.
 */
export const INDEXES = `SELECT x.indrelid::int AS relid, ic.relname AS name, am.amname AS method, x.indisunique, x.indnkeyatts, ic.reloptions,
    pg_get_expr(x.indpred, x.indrelid) AS predicate, obj_description(ic.oid, 'pg_class') AS comment, con.contype AS backs,
    pin.nspname AS parent_schema, pic.relname AS parent_index,
    (SELECT json_agg(json_build_object(
        'column', CASE WHEN k.attnum = 0 THEN NULL ELSE a.attname END,
        'text', pg_get_indexdef(x.indexrelid, k.ord::int, true),
        'opclass', CASE WHEN k.ord > x.indnkeyatts OR opc.opcdefault THEN NULL
                        WHEN ocn.nspname = 'pg_catalog' THEN quote_ident(opc.opcname) ELSE quote_ident(ocn.nspname) || '.' || quote_ident(opc.opcname) END,
        'collation', CASE WHEN k.ord > x.indnkeyatts OR coalesce(x.indcollation[k.ord::int - 1], 0) = 0
                            OR x.indcollation[k.ord::int - 1] = coalesce(a.attcollation, 0) THEN NULL ELSE quote_ident(coll.collname) END,
        'desc', k.ord <= x.indnkeyatts AND (x.indoption[k.ord::int - 1] & 1) = 1,
        'nullsFirst', k.ord <= x.indnkeyatts AND (x.indoption[k.ord::int - 1] & 2) = 2,
        'operator', CASE WHEN con.contype = 'x' THEN (SELECT o.oprname FROM pg_operator o WHERE o.oid = con.conexclop[k.ord::int]) END
      ) ORDER BY k.ord)
      FROM unnest(x.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
      LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum AND k.attnum > 0
      LEFT JOIN pg_opclass opc ON opc.oid = x.indclass[k.ord::int - 1] LEFT JOIN pg_namespace ocn ON ocn.oid = opc.opcnamespace
      LEFT JOIN pg_collation coll ON coll.oid = x.indcollation[k.ord::int - 1]) AS keys
  FROM pg_index x JOIN pg_class ic ON ic.oid = x.indexrelid JOIN pg_am am ON am.oid = ic.relam
  JOIN pg_class c ON c.oid = x.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_constraint con ON con.conindid = x.indexrelid AND con.conrelid = x.indrelid AND con.contype IN ('p', 'u', 'x') AND con.conname = ic.relname
  LEFT JOIN pg_inherits ih ON ih.inhrelid = ic.oid LEFT JOIN pg_class pic ON pic.oid = ih.inhparent LEFT JOIN pg_namespace pin ON pin.oid = pic.relnamespace
  WHERE c.relkind IN ('r', 'p', 'm') AND ${IN_SCHEMAS}
  ORDER BY x.indrelid, ic.oid`;

export const POLICIES = `SELECT p.polrelid::int AS relid, p.polname, p.polcmd, p.polpermissive,
    ARRAY(SELECT ${role('r')} FROM unnest(p.polroles) WITH ORDINALITY u(r, ord) ORDER BY ord) AS roles,
    pg_get_expr(p.polqual, p.polrelid) AS using, pg_get_expr(p.polwithcheck, p.polrelid) AS check, obj_description(p.oid, 'pg_policy') AS comment
  FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE ${IN_SCHEMAS} ORDER BY p.polrelid, p.oid`;

/** User triggers; a partition's clone of its parent's trigger (tgparentid) is the parent's. */
export const TRIGGERS = `SELECT t.tgrelid::int AS relid, t.tgname, t.tgtype, t.tgenabled, t.tgconstraint <> 0 AS is_constraint,
    ${colNames('t.tgattr::int2[]', 't.tgrelid')} AS cols, fn.nspname AS fschema, p.proname AS fname,
    CASE WHEN t.tgqual IS NOT NULL THEN pg_get_triggerdef(t.oid, true) END AS def, obj_description(t.oid, 'pg_trigger') AS comment
  FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_proc p ON p.oid = t.tgfoid JOIN pg_namespace fn ON fn.oid = p.pronamespace
  WHERE NOT t.tgisinternal AND t.tgparentid = 0 AND ${IN_SCHEMAS} ORDER BY t.tgrelid, t.oid`;

/** Sequences; the ones of identity columns on partitions are the partitioned parent's column's (the catalog keeps those). */
export const SEQUENCES = `SELECT n.nspname, c.relname, o.relname AS owned_table, a.attname AS owned_column, pg_get_userbyid(c.relowner) AS owner,
    ${acl('c.relacl', "'s'", 'c.relowner')} AS acl, obj_description(c.oid, 'pg_class') AS comment
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
  LEFT JOIN pg_class o ON o.oid = d.refobjid LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
  WHERE c.relkind = 'S' AND ${IN_SCHEMAS} AND ${notMember('pg_class', 'c.oid')} AND NOT coalesce(o.relispartition, false)
  ORDER BY c.oid`;

export const ENUMS = `SELECT n.nspname, t.typname, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels, obj_description(t.oid, 'pg_type') AS comment
  FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
  WHERE ${IN_SCHEMAS} AND ${notMember('pg_type', 't.oid')} GROUP BY t.oid, n.nspname, t.typname ORDER BY 1, 2`;

/** Domains, composite and range types, and base types (an extension's too): known by name only, as in the replay. */
export const OTHER_TYPES = `SELECT n.nspname, t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
  LEFT JOIN pg_class c ON c.oid = t.typrelid
  WHERE ${IN_SCHEMAS} AND (t.typtype IN ('d', 'r', 'm') OR t.typtype = 'b' AND t.typelem = 0 OR t.typtype = 'c' AND c.relkind = 'c')
  ORDER BY 1, 2`;

/**
 * Functions and procedures; not an extension's, nor the constructors CREATE TYPE … AS RANGE makes (an internal
 * dependency on the type), which the replay does not keep either.
 */
export const FUNCTIONS = `SELECT n.nspname, p.proname, p.prokind, p.prosecdef, p.provolatile, l.lanname, p.proconfig, p.pronargdefaults,
    ARRAY(SELECT format_type(t, NULL) FROM unnest(p.proargtypes) WITH ORDINALITY u(t, ord) ORDER BY ord) AS args,
    format_type(p.prorettype, NULL) AS returns, pg_get_userbyid(p.proowner) AS owner, ${acl('p.proacl', "'f'", 'p.proowner')} AS acl,
    obj_description(p.oid, 'pg_proc') AS comment
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang
  WHERE p.prokind IN ('f', 'p') AND ${IN_SCHEMAS} AND ${notMember('pg_proc', 'p.oid')}
    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.refclassid = 'pg_type'::regclass AND d.deptype = 'i')
  ORDER BY 1, 2, 4`;

/** Extensions (plpgsql is in every database from initdb on: no history creates it). */
export const EXTENSIONS = `SELECT e.extname, n.nspname, obj_description(e.oid, 'pg_extension') AS comment
  FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname <> 'plpgsql' ORDER BY 1`;

export const DEFAULT_PRIVILEGES = `SELECT pg_get_userbyid(d.defaclrole) AS role, n.nspname, d.defaclobjtype,
    (SELECT json_agg(json_build_object('grantee', ${role('x.grantee')}, 'privilege', x.privilege_type, 'grantable', x.is_grantable)) FROM aclexplode(d.defaclacl) x) AS acl
  FROM pg_default_acl d LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace ORDER BY 1, 2, 3`;

/** Tables and views each view's query reads (its rewrite rule's dependencies). */
export const VIEW_DEPENDENCIES = `SELECT DISTINCT r.ev_class::int AS relid, rn.nspname, ref.relname
  FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid AND d.refclassid = 'pg_class'::regclass AND d.refobjid <> r.ev_class
  JOIN pg_class ref ON ref.oid = d.refobjid AND ref.relkind IN ('r', 'p', 'v', 'm', 'f') JOIN pg_namespace rn ON rn.oid = ref.relnamespace
  WHERE c.relkind IN ('v', 'm') AND ${IN_SCHEMAS} ORDER BY 1, 2, 3`;
