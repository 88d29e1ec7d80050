import { stmtType } from '../parse/sql/ast';
import { nodeOf, type NodeOf, type StatementKind } from '../parse/sql/nodes';
import type { SqlFile, SqlStatement } from '../parse/sql/parser';
import { TEMP_SCHEMA, type Catalog, type Origin } from './model';
import { alterTable } from './replay/alter-table';
import { keepsNameCache, withNameCache, withoutNameCache } from './replay/name-cache';
import { createIndex } from './replay/create-index';
import { createTable } from './replay/create-table';
import { note, strings, type ReplayContext } from './replay/context';
import { doBlockStatements } from './replay/do-block';
import { alterFunction, createFunction, moveFunctions } from './replay/functions';
import { comment } from './replay/comments';
import { createExtension, setExtensionSchema } from './replay/extensions';
import { alterDefaultPrivileges, grant } from './replay/grants';
import { alterOwner } from './replay/owners';
import { createTrigger, functionMoved } from './replay/triggers';
import { createSchemaStatement, dropStatement, renameStatement } from './replay/routing';
import { alterView, viewOptions, withDefaultPrivileges } from './replay/views';
import { createTableAs, createView, selectInto } from './replay/create-as';
import { alterSequence, createSequence, selectSetConfig, setSchema, variableSet } from './replay/misc';
import { alterPolicy, createPolicy } from './replay/policies';
import { alterEnum, createEnum, createOtherType } from './replay/types-stmts';

type Handler<K extends StatementKind> = (ctx: ReplayContext, node: NodeOf<K>) => void;

const ROUTINES = new Set(['OBJECT_FUNCTION', 'OBJECT_PROCEDURE', 'OBJECT_ROUTINE']);

/** One handler per statement kind the catalog models; every other statement is skipped. */
const HANDLERS: { [K in StatementKind]?: Handler<K> } = {
  CreateStmt: createTable,
  AlterTableStmt: (ctx, n) => (n.objtype === 'OBJECT_VIEW' || n.objtype === 'OBJECT_MATVIEW' ? alterView(ctx, n) : alterTable(ctx, n)),
  IndexStmt: createIndex,
  RenameStmt: renameStatement,
  DropStmt: dropStatement,
  CreateFunctionStmt: createFunction,
  AlterFunctionStmt: alterFunction,
  AlterOwnerStmt: alterOwner,
  GrantStmt: grant,
  AlterDefaultPrivilegesStmt: alterDefaultPrivileges,
  CreateTrigStmt: createTrigger,
  CreateExtensionStmt: createExtension,
  CommentStmt: comment,
  CreatePolicyStmt: createPolicy,
  AlterPolicyStmt: alterPolicy,
  CreateEnumStmt: createEnum,
  AlterEnumStmt: alterEnum,
  CompositeTypeStmt: (ctx, n) => createOtherType(ctx, [n.typevar?.schemaname, n.typevar?.relname].filter(Boolean).map((sval) => ({ String: { sval } }))),
  CreateDomainStmt: (ctx, n) => createOtherType(ctx, n.domainname),
  CreateRangeStmt: (ctx, n) => createOtherType(ctx, n.typeName),
  CreateSchemaStmt: createSchemaStatement,
  CreateSeqStmt: createSequence,
  AlterSeqStmt: alterSequence,
  ViewStmt: (ctx, n) => { createView(ctx, n.view, n.query, strings(n.aliases), false, !!n.replace); viewOptions(ctx, n); },
  CreateTableAsStmt: createTableAs,
  AlterObjectSchemaStmt: (ctx, n) => {
    if (n.objectType !== undefined && ROUTINES.has(n.objectType)) return moveFunctions(ctx, nodeOf(n.object, 'ObjectWithArgs'), { schema: n.newschema }, functionMoved);
    if (n.objectType === 'OBJECT_EXTENSION') return setExtensionSchema(ctx, n);
    setSchema(ctx, n);
  },
  VariableSetStmt: variableSet,
  SelectStmt: (ctx, n) => (n.intoClause ? selectInto(ctx, n) : selectSetConfig(ctx, n)),
};

/**
 * Applies one parsed statement to the catalog. Never throws: a statement the catalog cannot follow
 * (unknown table, unexpected shape) leaves a note in `catalog.notes` and the replay goes on.
 */
export function applyStatement(catalog: Catalog, file: string, text: string, stmt: SqlStatement): void {
  applyWithOrigin(catalog, { file, start: stmt.start, end: stmt.end }, text, stmt);
}

/** Applies a statement; objects it creates carry `origin` (for DDL inside a DO block, the DO statement's range). */
function applyWithOrigin(catalog: Catalog, origin: Origin, text: string, stmt: SqlStatement): void {
  if (stmt.status !== 'ok' || !stmt.ast) return;
  const kind = stmtType(stmt);
  if (!kind) return;
  const doBlock = nodeOf(stmt.ast, 'DoStmt');
  if (doBlock) {
    for (const inner of doBlockStatements(doBlock)) if (!inner.folded || isPrivilegeStatement(inner.stmt)) applyWithOrigin(catalog, origin, inner.text, inner.stmt);
    return;
  }
  const handler = handlerFor(kind);
  if (!handler) return;
  const ctx: ReplayContext = { catalog, origin, text, stmt };
  const node = nodeOf(stmt.ast, kind)!;
  const apply = () => {
    try {
      withDefaultPrivileges(ctx, kind, () => handler(ctx, node));
    } catch (e) {
      note(ctx, `could not apply ${kind}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  if (keepsNameCache(kind)) apply();
  else withoutNameCache(apply);
}

/**
 * The statements a folded EXECUTE string of a DO block may apply (replay/do-block.ts): privileges and owners only, so
 * that folding does not bring tables and columns the schema rules have not been checked against into the catalog.
 */
function isPrivilegeStatement(stmt: SqlStatement): boolean {
  const kind = stmtType(stmt);
  if (kind === 'GrantStmt' || kind === 'AlterDefaultPrivilegesStmt' || kind === 'AlterOwnerStmt') return true;
  const alter = kind === 'AlterTableStmt' ? nodeOf(stmt.ast, 'AlterTableStmt') : undefined;
  return !!alter?.cmds?.length && alter.cmds.every((c) => nodeOf(c, 'AlterTableCmd')?.subtype === 'AT_ChangeOwner');
}

/** Applies every statement of a parsed file, in order. The search path starts from the default for each file (a new session). */
export function applyFile(catalog: Catalog, file: string, parsed: SqlFile, options: { statements?: (s: SqlStatement) => boolean; searchPath?: string[] } = {}): void {
  catalog.searchPath = [...(options.searchPath ?? ['public'])];
  withNameCache(() => {
    for (const stmt of parsed.statements) {
      if (options.statements && !options.statements(stmt)) continue;
      applyStatement(catalog, file, parsed.text, stmt);
    }
  });
  catalog.schemas.delete(TEMP_SCHEMA); // the runner's session (or transaction) ends with the file
}

/** The handler of a statement kind, typed for that kind's node. */
function handlerFor<K extends StatementKind>(kind: K): Handler<K> | undefined {
  return HANDLERS[kind];
}
