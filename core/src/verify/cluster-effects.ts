import type { Node } from '@pgsql/types';
import { parsePlPgSQLSync, parseSync } from '../parse/sql/libpg';
import { nodeOf, nodesOf, pathOf, stringOf, type NodeOf, type StatementKind } from '../parse/sql/nodes';

/**
 * Statements whose effects reach outside the database they run in: a throwaway database on a real server
 * (`pgvet verify --database-url`) is dropped at the end, but roles, other databases, tablespaces, the server's
 * configuration, its files and other sessions are not in it. Found on the parse tree, statement nodes and
 * function calls at any depth, and inside DO blocks and function bodies:
 *
 * - LANGUAGE sql bodies and PL/pgSQL bodies are parsed (PL/pgSQL with libpg-query's PL/pgSQL parser), and
 *   `EXECUTE '<literal>'` is parsed as SQL too;
 * - SQL assembled at run time (`EXECUTE format(…)`, `EXECUTE a || b`) cannot be seen whole: the string
 *   constants in it are searched for the words below instead (`EXECUTE 'CREATE ROLE ' || name` is found,
 *   `EXECUTE 'CREATE ' || 'ROLE x'` or SQL read from a table is not);
 * - bodies in other languages cannot be read: a function in an untrusted language (plpython3u, plperlu, C)
 *   counts as an effect, since it can do anything; trusted ones (plperl, plv8) cannot leave the database.
 */
export interface ClusterEffect {
  /** What reaches outside, for the message: `ALTER SYSTEM`, `dblink_exec()`, `CREATE ROLE`. */
  what: string;
  /** Where it is: UTF-16 offsets of the statement in the text that was checked. */
  start: number;
  end: number;
}

/** Statement nodes that act on the cluster (shared catalogs, files, configuration) rather than the database. */
const CLUSTER_STATEMENTS: { [K in StatementKind]?: string | ((node: NodeOf<K>) => string | undefined) } = {
  AlterSystemStmt: 'ALTER SYSTEM',
  CreateRoleStmt: (n) => `CREATE ${n.stmt_type === 'ROLESTMT_USER' ? 'USER' : n.stmt_type === 'ROLESTMT_GROUP' ? 'GROUP' : 'ROLE'}`,
  AlterRoleStmt: 'ALTER ROLE',
  AlterRoleSetStmt: 'ALTER ROLE … SET',
  DropRoleStmt: 'DROP ROLE',
  GrantRoleStmt: (n) => (n.is_grant ? 'GRANT <role> TO' : 'REVOKE <role> FROM'),
  ReassignOwnedStmt: 'REASSIGN OWNED',
  DropOwnedStmt: 'DROP OWNED (revokes privileges on databases and tablespaces too)',
  CreatedbStmt: 'CREATE DATABASE',
  DropdbStmt: 'DROP DATABASE',
  AlterDatabaseStmt: 'ALTER DATABASE',
  AlterDatabaseSetStmt: 'ALTER DATABASE … SET',
  AlterDatabaseRefreshCollStmt: 'ALTER DATABASE … REFRESH COLLATION VERSION',
  CreateTableSpaceStmt: 'CREATE TABLESPACE',
  DropTableSpaceStmt: 'DROP TABLESPACE',
  AlterTableSpaceOptionsStmt: 'ALTER TABLESPACE',
  CreateSubscriptionStmt: 'CREATE SUBSCRIPTION (connects to another server)',
  AlterSubscriptionStmt: 'ALTER SUBSCRIPTION',
  DropSubscriptionStmt: 'DROP SUBSCRIPTION (drops a replication slot on another server)',
  CreateForeignServerStmt: 'CREATE SERVER (statements through it act on another server)',
  LoadStmt: 'LOAD (a server library)',
  CopyStmt: (n) => (n.is_program ? `COPY … ${n.is_from ? 'FROM' : 'TO'} PROGRAM` : n.filename ? `COPY … ${n.is_from ? 'FROM' : 'TO'} a server file` : undefined),
  GrantStmt: (n) => (n.objtype === 'OBJECT_DATABASE' || n.objtype === 'OBJECT_TABLESPACE' || n.objtype === 'OBJECT_PARAMETER_ACL' ? `${n.is_grant ? 'GRANT' : 'REVOKE'} ON ${objectWord(n.objtype)}` : undefined),
  CommentStmt: (n) => (isShared(n.objtype) ? `COMMENT ON ${objectWord(n.objtype)}` : undefined),
  SecLabelStmt: (n) => (isShared(n.objtype) ? `SECURITY LABEL ON ${objectWord(n.objtype)}` : undefined),
  RenameStmt: (n) => (isShared(n.renameType) ? `ALTER ${objectWord(n.renameType)} … RENAME` : undefined),
  AlterOwnerStmt: (n) => (isShared(n.objectType) ? `ALTER ${objectWord(n.objectType)} … OWNER` : undefined),
};

/** The effect of a statement node of kind `kind` found in the tree, if that kind acts on the cluster. */
function statementEffect<K extends StatementKind>(kind: K, node: NodeOf<K>): string | undefined {
  const rule = CLUSTER_STATEMENTS[kind];
  return typeof rule === 'function' ? rule(node) : rule;
}

const SHARED_OBJECTS = new Set(['OBJECT_ROLE', 'OBJECT_DATABASE', 'OBJECT_TABLESPACE']);
const isShared = (objtype: string | undefined): objtype is string => objtype !== undefined && SHARED_OBJECTS.has(objtype);
const objectWord = (objtype: string) => objtype.replace(/^OBJECT_/, '').replace(/_ACL$/, '').replace(/_/g, ' ');

/** Functions that read or write server files, reach other databases or servers, or act on other sessions. */
const CLUSTER_FUNCTION = new RegExp(
  '^(' +
    [
      'dblink\\w*', 'pg_read_file', 'pg_read_binary_file', 'pg_ls_\\w+', 'pg_stat_file', 'pg_file_\\w+', 'pg_logdir_ls',
      'lo_import', 'lo_export', 'pg_terminate_backend', 'pg_cancel_backend', 'pg_reload_conf', 'pg_rotate_logfile',
      'pg_switch_wal', 'pg_create_restore_point', 'pg_promote', 'pg_create_\\w*replication_slot', 'pg_drop_replication_slot',
      'pg_copy_\\w+_replication_slot', 'pg_replication_origin_\\w+', 'pg_log_backend_memory_contexts', 'pg_backup_start',
      'pg_backup_stop', 'pg_start_backup', 'pg_stop_backup', 'pg_wal_replay_pause', 'pg_wal_replay_resume',
    ].join('|') +
    ')$',
  'i',
);

/** The same words, for SQL text pgvet cannot parse whole (string constants of dynamic SQL). */
const CLUSTER_WORDS =
  /\b(ALTER\s+SYSTEM|(?:CREATE|ALTER|DROP)\s+(?:ROLE|USER|GROUP|DATABASE|TABLESPACE|SUBSCRIPTION)|PROGRAM|dblink\w*|pg_read_(?:binary_)?file|pg_file_\w+|lo_import|lo_export|pg_terminate_backend|pg_cancel_backend|pg_reload_conf)\b/i;

const UNTRUSTED_LANGUAGE = /^(c|plpythonu|plpython[23]u|plperlu|pltclu|plrubyu|plshu|plsh)$/i;

/**
 * The effects in one parsed statement (the `ast` of a SqlStatement), at `start`–`end` in its file. `text`, the
 * statement as written, lets a PL/pgSQL CREATE FUNCTION be parsed as it is (its parameters and trigger
 * variables declared); without it the body is parsed in a stand-in function.
 */
export function clusterEffectsOf(ast: unknown, start: number, end: number, text?: string): ClusterEffect[] {
  const found: string[] = [];
  const fn = nodeOf(ast, 'CreateFunctionStmt');
  if (fn && text !== undefined && optionsOf(fn.options).language.toLowerCase() === 'plpgsql') {
    plpgsqlEffects(text, found, 1, true);
    // The rest of the statement (defaults of parameters …), without parsing the body a second time.
    collect({ ...fn, options: [] }, found, 0);
    return [...new Set(found)].map((what) => ({ what, start, end }));
  }
  collect(ast, found, 0);
  return [...new Set(found)].map((what) => ({ what, start, end }));
}

/** Nested bodies deeper than this are not parsed again (a body that builds a body that builds …). */
const MAX_BODY_NESTING = 4;

/** Walks the tree without recursion: a 3,000-term expression is a tree 3,000 deep. */
function collect(root: unknown, found: string[], nesting: number): void {
  const stack: unknown[] = [root];
  while (stack.length) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      for (const child of node) stack.push(child);
      continue;
    }
    if (!node || typeof node !== 'object') continue;
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      // In the parse tree a key naming a statement kind holds that statement's node.
      if (Object.hasOwn(CLUSTER_STATEMENTS, key)) {
        const what = statementEffect(key as StatementKind, value as NodeOf<StatementKind>);
        if (what) found.push(what);
      }
      if (key === 'FuncCall') {
        const name = stringOf(nodeOf(node, 'FuncCall')?.funcname?.at(-1));
        if (name && CLUSTER_FUNCTION.test(name)) found.push(`${name}()`);
      } else if (key === 'DoStmt') {
        bodyEffects(optionsOf(nodeOf(node, 'DoStmt')?.args), found, nesting);
      } else if (key === 'CreateFunctionStmt') {
        bodyEffects(optionsOf(nodeOf(node, 'CreateFunctionStmt')?.options), found, nesting);
      }
      if (value && typeof value === 'object') stack.push(value);
    }
  }
}

/** A DO's args or a CREATE FUNCTION's options: `language` and `as` (the body: one string, or a list of strings). */
function optionsOf(options: Node[] | undefined): { language: string; body?: string } {
  let language = 'plpgsql';
  let body: string | undefined;
  for (const def of nodesOf(options, 'DefElem')) {
    if (def.defname === 'language') language = stringOf(def.arg) ?? language;
    if (def.defname === 'as') body = stringOf(def.arg) ?? stringOf(nodeOf(def.arg, 'List')?.items?.[0]);
  }
  return { language, body };
}

function bodyEffects({ language, body }: { language: string; body?: string }, found: string[], nesting: number): void {
  if (UNTRUSTED_LANGUAGE.test(language)) {
    found.push(`a function in the untrusted language ${language} (its body cannot be checked)`);
    return;
  }
  if (body === undefined || nesting >= MAX_BODY_NESTING) return;
  if (language.toLowerCase() === 'sql') sqlTextEffects(body, found, nesting + 1);
  else if (language.toLowerCase() === 'plpgsql') plpgsqlEffects(body, found, nesting + 1);
}

/** SQL text: parsed and walked; text that does not parse is searched for the words instead. */
function sqlTextEffects(sql: string, found: string[], nesting: number): void {
  try {
    collect(parseSync(sql), found, nesting);
  } catch {
    wordEffects(sql, found);
  }
}

function wordEffects(text: string, found: string[]): void {
  const hit = CLUSTER_WORDS.exec(text);
  if (hit) found.push(`${hit[1].replace(/\s+/g, ' ')} (in SQL built at run time)`);
}

function plpgsqlEffects(body: string, found: string[], nesting: number, wholeStatement = false): void {
  let tree: unknown;
  try {
    tree = parsePlPgSQLSync(wholeStatement ? body : `CREATE FUNCTION pgvet_body() RETURNS void LANGUAGE plpgsql AS $pgvet_body$${body}$pgvet_body$`);
  } catch {
    wordEffects(body, found);
    return;
  }
  const stack: unknown[] = [tree];
  while (stack.length) {
    const node = stack.pop();
    if (!node || typeof node !== 'object') continue;
    if (Array.isArray(node)) {
      stack.push(...node);
      continue;
    }
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      if (key === 'PLpgSQL_stmt_dynexecute' || key === 'PLpgSQL_stmt_dynfors' || key === 'PLpgSQL_stmt_open') {
        const query = pathOf(value, 'query', 'PLpgSQL_expr', 'query') ?? pathOf(value, 'dynquery', 'PLpgSQL_expr', 'query');
        dynamicSqlEffects(typeof query === 'string' ? query : undefined, found, nesting);
      }
      if (key === 'PLpgSQL_expr') {
        const { query, parseMode } = value as { query?: string; parseMode?: number };
        // parseMode 0: a whole statement; otherwise an expression, checked as `SELECT <expression>`.
        if (query) sqlTextEffects(parseMode === 0 ? query : `SELECT ${query}`, found, nesting);
      }
      if (value && typeof value === 'object') stack.push(value);
    }
  }
}

/** `EXECUTE <expression>`: a string literal is SQL we can parse; otherwise search its string constants. */
function dynamicSqlEffects(expression: string | undefined, found: string[], nesting: number): void {
  if (!expression) return;
  let tree: { stmts?: { stmt?: Node }[] };
  try {
    tree = parseSync(`SELECT ${expression}`);
  } catch {
    wordEffects(expression, found);
    return;
  }
  const target = nodeOf(nodeOf(tree.stmts?.[0]?.stmt, 'SelectStmt')?.targetList?.[0], 'ResTarget')?.val;
  const literal = nodeOf(target, 'A_Const')?.sval?.sval;
  if (typeof literal === 'string') {
    sqlTextEffects(literal, found, nesting);
    return;
  }
  const strings: string[] = [];
  const stack: unknown[] = [tree];
  while (stack.length) {
    const node = stack.pop();
    if (!node || typeof node !== 'object') continue;
    if (Array.isArray(node)) stack.push(...node);
    else
      for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
        const sval = pathOf(value, 'sval');
        if (key === 'sval' && typeof sval === 'string') strings.push(sval);
        else if (value && typeof value === 'object') stack.push(value);
      }
  }
  for (const s of strings) wordEffects(s, found);
}
