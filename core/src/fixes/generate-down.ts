import { diffCatalogs, differenceLabel, type CatalogDifference } from '../catalog/diff';
import type { MigrationSet } from '../catalog/history';
import { layoutById, type LayoutId } from '../catalog/layouts';
import { baseName } from '../catalog/layouts/paths';
import { emptyCatalog, TEMP_SCHEMA, type Catalog, type Index, type Origin } from '../catalog/model';
import { mentionsColumn } from '../catalog/queries';
import { applyFile, applyStatement } from '../catalog/replay';
import { snapshotCatalog } from '../catalog/snapshot';
import type { CommentStmt, Node, RenameStmt, TypeName } from '@pgsql/types';
import { commentTargetText, functionArgumentTypes, quoteIdent, relationText, statementText, stmtOf, stmtType } from '../parse/sql/ast';
import { nodeOf, nodesOf, stringOf, stringsOf } from '../parse/sql/nodes';
import { parseSqlFile, type SqlFile, type SqlStatement } from '../parse/sql/parser';
import { statementKindName } from '../parse/sql/statement-kinds';
import {
  columnDefinitionSql, constraintDefinitionSql, createEnumSql, createIndexSql, createPolicySql, objectReference, statementStartingAt, tableReference,
} from './edits';

/**
 * "Generate down migration": the inverse of each statement of an up migration, last statement first.
 * Schema statements are inverted from the catalog (what the statement changed, replayed one statement at a
 * time), so implicit effects (a DROP COLUMN taking its index with it) are restored too; functions, triggers,
 * extensions and comments, which the catalog does not model, from their earlier definitions in the history.
 */

/** `inverse`: undone exactly; `lossy`: the schema comes back, some data does not; `nothing`: no lasting effect; `none`: no inverse. */
export type DownStepKind = 'inverse' | 'lossy' | 'nothing' | 'none';

export interface DownStep {
  statement: SqlStatement;
  kind: DownStepKind;
  /** Statements that undo this one, in the order they run. */
  sql: string[];
  /** For `none`: why there is no inverse; for `lossy`: which data is lost. */
  notes: string[];
}

/** An earlier migration of the history (its up text, parsed), for definitions the catalog does not keep. */
export interface HistorySource {
  path: string;
  parsed: SqlFile;
}

export interface DownOptions {
  /** Path of the up file (origins of the objects it creates point at it). */
  path?: string;
  /** The migrations before this one, in order. */
  history?: readonly HistorySource[];
}

type Lookup = (origin: Origin) => { file: SqlFile; stmt: SqlStatement } | undefined;

/** What turns a catalog back into `before`: statements in a safe order, plus what data they cannot bring back and what they cannot restore at all. */
export interface Reversal {
  sql: string[];
  lossy: string[];
  missing: string[];
}

const alterTable = (t: { schema: string; name: string }, action: string) => `ALTER TABLE ${tableReference(t)} ${action};`;

/** Statements that turn the catalog `diffs` lead to back into `before` (diffs = diffCatalogs(before, after)). */
export function revertDifferences(diffs: readonly CatalogDifference[], before: Catalog, lookup: Lookup = () => undefined): Reversal {
  // Phases: drop dependents before what they depend on, create keys before the foreign keys that use them.
  const phases: string[][] = Array.from({ length: 12 }, () => []);
  const [DROP_DEPENDENT, DROP_INDEX, ALTER_COLUMN, DROP_OBJECT, DROP_CONTAINER, CREATE_CONTAINER, ADD_COLUMN, ADD_KEY, ADD_INDEX, ADD_FK, ADD_POLICY, CREATE_VIEW] = phases.keys();
  const out: Reversal = { sql: [], lossy: [], missing: [] };
  const push = (phase: number, sql: string) => phases[phase].push(sql);
  const source = (origin: Origin | undefined, kinds: string[]) => {
    const hit = origin && lookup(origin);
    return hit && kinds.includes(stmtType(hit.stmt) ?? '') ? hit : undefined;
  };
  /** The index's own CREATE INDEX when it still describes it (same name and table), else one rebuilt from the catalog. */
  const recreateIndex = (table: { schema: string; name: string }, index: Index) => {
    const src = source(index.origin, ['IndexStmt']);
    const n = src && stmtOf(src.stmt, 'IndexStmt');
    const same = n && n.idxname === index.name && n.relation?.relname === table.name;
    return same ? `${statementText(src.file, src.stmt).replace(/\s+CONCURRENTLY\b/i, '')};` : createIndexSql(table, index);
  };
  const ownsSerial = (t: { schema: string; name: string }, column: string) =>
    [...(before.schemas.get(t.schema)?.sequences.values() ?? [])].some((s) => s.ownedBy === `${t.name}.${column}`);

  for (const d of diffs) {
    const label = differenceLabel(d);
    const miss = () => out.missing.push(`${label} ${d.change === 'added' ? 'was created' : d.change === 'removed' ? 'was dropped' : 'was changed'} and cannot be restored from the catalog`);
    switch (d.kind) {
      case 'schema':
        if (d.change === 'added') push(DROP_CONTAINER, `DROP SCHEMA ${quoteIdent(d.name)} CASCADE;`);
        else if (d.change === 'removed') {
          push(CREATE_CONTAINER, `CREATE SCHEMA ${quoteIdent(d.name)};`);
          const s = d.before!;
          if (s.tables.size + s.views.size + s.enums.size + s.sequences.size + s.otherTypes.size > 0) miss();
        }
        break;
      case 'table':
        if (d.change === 'added') push(DROP_OBJECT, `DROP TABLE ${tableReference(d.after!)};`);
        else miss();
        break;
      case 'view': {
        const kind = (v: { materialized: boolean }) => (v.materialized ? 'MATERIALIZED VIEW' : 'VIEW');
        if (d.change === 'added') push(DROP_OBJECT, `DROP ${kind(d.after!)} ${objectReference(d.schema, d.name)};`);
        else {
          const src = d.change === 'removed' ? source(d.before!.origin, ['ViewStmt', 'CreateTableAsStmt']) : undefined;
          if (!src) { miss(); break; }
          push(CREATE_VIEW, `${statementText(src.file, src.stmt)};`);
          for (const i of d.before!.indexes) push(CREATE_VIEW, createIndexSql(d, i));
        }
        break;
      }
      case 'sequence':
      case 'type': {
        const drop = d.kind === 'sequence' ? 'SEQUENCE' : source(d.kind === 'type' ? d.after?.origin : undefined, ['CreateDomainStmt']) ? 'DOMAIN' : 'TYPE';
        if (d.change === 'added') { push(DROP_CONTAINER, `DROP ${drop} ${objectReference(d.schema, d.name)};`); break; }
        const origin = d.before?.origin;
        const src = d.change === 'removed' ? source(origin, ['CreateSeqStmt', 'CompositeTypeStmt', 'CreateDomainStmt', 'CreateRangeStmt']) : undefined;
        if (src) push(CREATE_CONTAINER, `${statementText(src.file, src.stmt)};`);
        else miss();
        break;
      }
      case 'enum':
        if (d.change === 'added') push(DROP_CONTAINER, `DROP TYPE ${objectReference(d.schema, d.name)};`);
        else if (d.change === 'removed') push(CREATE_CONTAINER, createEnumSql(d.before!));
        else {
          const was = d.before!.values;
          const now = d.after!.values;
          const added = now.filter((v) => !was.includes(v));
          if (added.length) out.missing.push(`value${added.length > 1 ? 's' : ''} ${added.map((v) => `'${v}'`).join(', ')} of enum "${d.schema}"."${d.name}" cannot be dropped (PostgreSQL has no DROP VALUE)`);
          was.forEach((v, i) => {
            if (now.includes(v)) return;
            const lit = (x: string) => `'${x.replace(/'/g, "''")}'`;
            const place = i > 0 ? `AFTER ${lit(was[i - 1])}` : was.length > 1 ? `BEFORE ${lit(was[1])}` : '';
            push(CREATE_CONTAINER, `ALTER TYPE ${objectReference(d.schema, d.name)} ADD VALUE ${lit(v)}${place ? ` ${place}` : ''};`);
          });
        }
        break;
      case 'column': {
        const t = d.table;
        if (d.change === 'added') push(DROP_OBJECT, alterTable(t, `DROP COLUMN ${quoteIdent(d.name)}`));
        else if (d.change === 'removed' && d.before!.typeUnknown) miss(); // no type to write
        else if (d.change === 'removed') {
          push(ADD_COLUMN, alterTable(t, `ADD COLUMN ${columnDefinitionSql(d.before!, ownsSerial(t, d.name))}`));
          out.lossy.push(`the values of ${label} cannot be restored`);
        } else {
          const b = d.before!;
          const a = d.after!;
          if (b.identity !== a.identity || b.generated !== a.generated) miss();
          const col = `ALTER COLUMN ${quoteIdent(d.name)}`;
          if (b.default !== a.default && a.default !== undefined) push(ALTER_COLUMN, alterTable(t, `${col} DROP DEFAULT`));
          if (b.type !== a.type) {
            push(ALTER_COLUMN, alterTable(t, `${col} TYPE ${b.type} USING ${quoteIdent(d.name)}::${b.type}`));
            // PostgreSQL rebuilds expression indexes on a retyped column from their text, which may simplify (date(date) → date).
            for (const i of before.schemas.get(t.schema)?.tables.get(t.name)?.indexes ?? []) {
              if (i.backs || !(i.keys.some((k) => mentionsColumn(k.expression, d.name)) || mentionsColumn(i.predicate, d.name))) continue;
              if (diffs.some((x) => x.kind === 'index' && x.name === i.name)) continue;
              push(DROP_INDEX, `DROP INDEX ${objectReference(t.schema, i.name)};`);
              push(ADD_INDEX, recreateIndex(t, i));
            }
          }
          if (b.default !== a.default && b.default !== undefined) push(ALTER_COLUMN, alterTable(t, `${col} SET DEFAULT ${b.default}`));
          if (b.notNull !== a.notNull) push(ALTER_COLUMN, alterTable(t, `${col} ${b.notNull ? 'SET' : 'DROP'} NOT NULL`));
        }
        break;
      }
      case 'primary key': case 'unique': case 'check': case 'foreign key': {
        if (d.change !== 'removed') push(d.kind === 'foreign key' ? DROP_DEPENDENT : DROP_INDEX, alterTable(d.table, `DROP CONSTRAINT ${quoteIdent(d.name)}`));
        if (d.change !== 'added') {
          const phase = d.kind === 'foreign key' ? ADD_FK : d.kind === 'check' ? ADD_INDEX : ADD_KEY;
          push(phase, alterTable(d.table, `ADD CONSTRAINT ${quoteIdent(d.name)} ${constraintDefinitionSql(d.kind, d.before!)}`));
        }
        break;
      }
      case 'index': {
        const i = d.after ?? d.before!;
        if (i.backs === 'exclusion') { miss(); break; }
        if (i.backs) break; // comes and goes with its constraint
        if (d.change !== 'removed') push(DROP_INDEX, `DROP INDEX ${objectReference(d.table.schema, d.name)};`);
        if (d.change !== 'added') {
          push(ADD_INDEX, recreateIndex(d.table, d.before!));
        }
        break;
      }
      case 'policy':
        if (d.change !== 'removed') push(DROP_DEPENDENT, `DROP POLICY ${quoteIdent(d.name)} ON ${tableReference(d.table)};`);
        if (d.change !== 'added') push(ADD_POLICY, createPolicySql(d.table, d.before!));
        break;
      case 'rls': {
        const b = d.before!;
        const a = d.after!;
        if (b.enabled !== a.enabled) push(ADD_POLICY, alterTable(d.table, `${b.enabled ? 'ENABLE' : 'DISABLE'} ROW LEVEL SECURITY`));
        if (b.forced !== a.forced) push(ADD_POLICY, alterTable(d.table, `${b.forced ? 'FORCE' : 'NO FORCE'} ROW LEVEL SECURITY`));
        break;
      }
    }
  }
  // Objects created later are dropped first (a table created after another may reference it).
  phases[DROP_OBJECT].reverse();
  out.sql = phases.flat();
  return out;
}

/** Statement kinds whose whole effect the catalog models: they are inverted from the catalog difference. */
const MODELLED = new Set([
  'CreateStmt', 'AlterTableStmt', 'IndexStmt', 'DropStmt', 'CreatePolicyStmt', 'AlterPolicyStmt', 'CreateEnumStmt', 'AlterEnumStmt',
  'CompositeTypeStmt', 'CreateDomainStmt', 'CreateRangeStmt', 'CreateSchemaStmt', 'CreateSeqStmt', 'ViewStmt', 'CreateTableAsStmt',
]);

const MODELLED_ALTER = new Set([
  'AT_AddColumn', 'AT_DropColumn', 'AT_AlterColumnType', 'AT_ColumnDefault', 'AT_SetNotNull', 'AT_DropNotNull', 'AT_AddConstraint',
  'AT_DropConstraint', 'AT_EnableRowSecurity', 'AT_DisableRowSecurity', 'AT_ForceRowSecurity', 'AT_NoForceRowSecurity', 'AT_ValidateConstraint',
]);

/** Drop kinds the catalog does not model: restored from their earlier definition. */
const DEFINED_IN_HISTORY = new Set(['OBJECT_FUNCTION', 'OBJECT_PROCEDURE', 'OBJECT_TRIGGER', 'OBJECT_EXTENSION']);

const DATA = new Set(['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'TruncateStmt', 'CopyStmt', 'MergeStmt']);

const names = stringsOf;
const qualified = (parts: string[]) => parts.map(quoteIdent).join('.');
/** Function identity: name (bare = public) and argument types as the parser resolved them. */
const functionKey = (name: string[], argTypes?: (TypeName | undefined)[]) =>
  `${(name.length > 1 ? name : ['public', ...name]).join('.')}(${argTypes === undefined ? '*' : JSON.stringify(argTypes.map((t) => [names(t?.names), (t?.typmods ?? []).length, (t?.arrayBounds ?? []).length]))})`;
const inArgs = (params: Node[] | undefined) =>
  nodesOf(params, 'FunctionParameter').filter((p) => p.mode !== 'FUNC_PARAM_OUT' && p.mode !== 'FUNC_PARAM_TABLE').map((p) => p.argType);
/** The argument types of a function named with them (`DROP FUNCTION f(int)`), or undefined when none are given. */
const givenArgs = (f: { args_unspecified?: boolean; objargs?: Node[] }) => (f.args_unspecified ? undefined : f.objargs?.map((t) => nodeOf(t, 'TypeName')));

interface Definition {
  key: string;
  created: boolean;
  file: SqlFile;
  stmt: SqlStatement;
  /** Order in the history: index of the file, then offset. */
  at: [number, number];
}

const isLater = (a: [number, number], b: [number, number]) => a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]);

/** The objects a statement defines or drops that the catalog does not model (functions, triggers, extensions, comments). */
function definitionsOf(file: SqlFile, stmt: SqlStatement): Omit<Definition, 'file' | 'stmt' | 'at'>[] {
  const fn = stmtOf(stmt, 'CreateFunctionStmt');
  if (fn) return [{ key: `function ${functionKey(names(fn.funcname), inArgs(fn.parameters))}`, created: true }];
  const trig = stmtOf(stmt, 'CreateTrigStmt');
  if (trig) return [{ key: `trigger ${trig.trigname} on ${trig.relation?.relname}`, created: true }];
  const ext = stmtOf(stmt, 'CreateExtensionStmt');
  if (ext) return [{ key: `extension ${ext.extname}`, created: true }];
  const comment = stmtOf(stmt, 'CommentStmt');
  if (comment) return [{ key: `comment ${commentKey(file, stmt, comment)}`, created: comment.comment !== undefined }];
  const drop = stmtOf(stmt, 'DropStmt');
  if (!drop?.removeType || !DEFINED_IN_HISTORY.has(drop.removeType)) return [];
  return (drop.objects ?? []).map((o) => {
    if (drop.removeType === 'OBJECT_TRIGGER') {
      const parts = names(nodeOf(o, 'List')?.items);
      return { key: `trigger ${parts.at(-1)} on ${parts.at(-2)}`, created: false };
    }
    if (drop.removeType === 'OBJECT_EXTENSION') return { key: `extension ${stringOf(o)}`, created: false };
    const f = nodeOf(o, 'ObjectWithArgs') ?? {};
    return { key: `function ${functionKey(names(f.objname), givenArgs(f))}`, created: false };
  });
}

/** What a COMMENT is on: `column public.users.email`, `function public.f([…])`, or else its text. */
function commentKey(file: SqlFile, stmt: SqlStatement, n: CommentStmt): string {
  const kind = String(n.objtype).replace(/^OBJECT_/, '').toLowerCase();
  const func = nodeOf(n.object, 'ObjectWithArgs');
  if (func) return `function ${functionKey(names(func.objname), givenArgs(func))}`;
  const name = nodeOf(n.object, 'String');
  if (name) return `${kind} ${name.sval}`;
  const parts = names(nodeOf(n.object, 'List')?.items);
  if (kind === 'column') return `column ${(parts.length > 2 ? parts : ['public', ...parts]).join('.')}`;
  if (parts.length && ['table', 'view', 'matview', 'index', 'sequence', 'type', 'domain'].includes(kind)) return `${kind} ${(parts.length > 1 ? parts : ['public', ...parts]).join('.')}`;
  if (parts.length) return `${kind} ${parts.join('.')}`;
  return (commentTargetText(file, stmt) ?? '').toLowerCase().replace(/\s+/g, ' ');
}

/** Keys match when equal, or when one side left out the argument types. */
function sameKey(a: string, b: string): boolean {
  if (a === b) return true;
  const star = (x: string) => x.endsWith('(*)') ? x.slice(0, -3) : undefined;
  const strip = (x: string) => x.replace(/\(.*\)$/, '');
  return (star(a) !== undefined && star(a) === strip(b)) || (star(b) !== undefined && star(b) === strip(a));
}

function lineOf(file: SqlFile, offset: number): number {
  let n = 1;
  for (let i = 0; i < offset; i++) if (file.text.charCodeAt(i) === 10) n++;
  return n;
}

/** `line 4: UPDATE crates SET …` — how TODO comments name a statement. */
export function statementLabel(file: SqlFile, stmt: SqlStatement): string {
  const text = statementText(file, stmt).replace(/\s+/g, ' ');
  return `line ${lineOf(file, stmt.start)}: ${text.length > 70 ? `${text.slice(0, 67)}…` : text}`;
}

/** Definitions of unmodelled objects in a file, computed once per parsed file (a history is planned file after file). */
const definitionsByFile = new WeakMap<SqlFile, { d: ReturnType<typeof definitionsOf>[number]; stmt: SqlStatement }[]>();

function fileDefinitions(parsed: SqlFile): { d: ReturnType<typeof definitionsOf>[number]; stmt: SqlStatement }[] {
  let found = definitionsByFile.get(parsed);
  if (!found) {
    found = [];
    for (const stmt of parsed.statements) for (const d of definitionsOf(parsed, stmt)) found.push({ d, stmt });
    definitionsByFile.set(parsed, found);
  }
  return found;
}

/** The inverse of each statement of `upFile` (in up order), replaying it on a copy of `catalogBefore`. */
export function planDown(upFile: SqlFile, catalogBefore: Catalog, options: DownOptions = {}): DownStep[] {
  const path = options.path ?? 'up.sql';
  const catalog = snapshotCatalog(catalogBefore);
  catalog.searchPath = ['public'];
  const files = new Map((options.history ?? []).map((h) => [h.path, h.parsed]));
  files.set(path, upFile);
  const fileIndex = new Map([...files.keys()].map((p, i) => [p, i]));
  const positionOf = (origin: Origin): [number, number] => [fileIndex.get(origin.file) ?? -1, origin.start];
  const lookup: Lookup = (origin) => {
    const file = files.get(origin.file);
    const stmt = file && statementStartingAt(file, origin.start);
    return file && stmt ? { file, stmt } : undefined;
  };
  // Definitions of unmodelled objects, in history order, extended as the up file goes on.
  const defs: Definition[] = [];
  for (const h of options.history ?? []) {
    const i = fileIndex.get(h.path)!;
    for (const { d, stmt: s } of fileDefinitions(h.parsed)) defs.push({ ...d, file: h.parsed, stmt: s, at: [i, s.start] });
  }
  const lastDefinition = (key: string) => [...defs].reverse().find((d) => sameKey(d.key, key));
  /** The comment an object had: the last one on it written after the object was (re)created. */
  const lastComment = (key: string, since: [number, number]) => {
    const c = lastDefinition(`comment ${key}`);
    return c?.created && isLater(c.at, since) ? `${statementText(c.file, c.stmt)};` : undefined;
  };

  const steps: DownStep[] = [];
  for (const stmt of upFile.statements) {
    if (stmt.status !== 'ok') {
      steps.push({ statement: stmt, kind: 'none', sql: [], notes: [`it does not parse (${stmt.error?.message ?? stmt.status})`] });
      continue;
    }
    if (!stmt.ast) continue;
    const before = snapshotCatalog(catalog);
    const notes = catalog.notes.length;
    applyStatement(catalog, path, upFile.text, stmt);
    const step = invert({
      file: upFile, stmt, before, after: catalog, start: catalogBefore, newNotes: catalog.notes.slice(notes).map((n) => n.message), lookup, lastDefinition, lastComment, positionOf,
    });
    steps.push({ statement: stmt, ...step });
    for (const d of definitionsOf(upFile, stmt)) defs.push({ ...d, file: upFile, stmt, at: [fileIndex.get(path)!, stmt.start] });
  }
  return steps;
}

interface InvertInput {
  file: SqlFile;
  stmt: SqlStatement;
  before: Catalog;
  after: Catalog;
  /** The catalog before the whole up migration. */
  start: Catalog;
  newNotes: string[];
  lookup: Lookup;
  lastDefinition(key: string): Definition | undefined;
  lastComment(key: string, since: [number, number]): string | undefined;
  positionOf(origin: Origin): [number, number];
}

type Inverse = Omit<DownStep, 'statement'>;
const none = (...notes: string[]): Inverse => ({ kind: 'none', sql: [], notes });
const exact = (...sql: string[]): Inverse => ({ kind: 'inverse', sql, notes: [] });
const NOTHING: Inverse = { kind: 'nothing', sql: [], notes: [] };
const orReplace = (sql: string) => sql.replace(/^CREATE\s+(?!OR\s+REPLACE\b)/i, 'CREATE OR REPLACE ');

function invert(input: InvertInput): Inverse {
  const { file, stmt } = input;
  const kind = stmtType(stmt)!;
  const node = nodeOf(stmt.ast, kind);
  if (kind === 'TransactionStmt' || kind === 'VariableSetStmt') return NOTHING;
  if (kind === 'SelectStmt') {
    const calls = JSON.stringify(node).match(/"FuncCall"/g)?.length ?? 0;
    const setConfig = JSON.stringify(node).match(/"sval":"set_config"/g)?.length ?? 0;
    return calls === setConfig ? NOTHING : none('a SELECT that calls functions may change data or schema');
  }
  if (DATA.has(kind)) return none(kind === 'TruncateStmt' ? 'the deleted rows cannot be restored' : 'a data statement cannot be undone');
  const rename = stmtOf(stmt, 'RenameStmt');
  if (rename) return rename.missing_ok && diffCatalogs(input.before, input.after).length === 0 ? NOTHING : renameBack(file, stmt, rename);
  const alterEnum = stmtOf(stmt, 'AlterEnumStmt');
  if (alterEnum && alterEnum.oldVal !== undefined) {
    const lit = (x: string) => `'${x.replace(/'/g, "''")}'`;
    return exact(`ALTER TYPE ${qualified(names(alterEnum.typeName))} RENAME VALUE ${lit(alterEnum.newVal ?? '')} TO ${lit(alterEnum.oldVal)};`);
  }
  const fn = stmtOf(stmt, 'CreateFunctionStmt');
  if (fn) {
    const prior = input.lastDefinition(`function ${functionKey(names(fn.funcname), inArgs(fn.parameters))}`);
    if (prior?.created) return exact(`${orReplace(statementText(prior.file, prior.stmt))};`);
    const args = functionArgumentTypes(file, stmt, fn.parameters);
    if (args === undefined) return none('its argument types could not be read');
    return exact(`DROP ${fn.is_procedure ? 'PROCEDURE' : 'FUNCTION'} ${qualified(names(fn.funcname))}(${args});`);
  }
  const trigger = stmtOf(stmt, 'CreateTrigStmt');
  if (trigger) {
    const prior = input.lastDefinition(`trigger ${trigger.trigname} on ${trigger.relation?.relname}`);
    if (prior?.created && trigger.replace) return exact(`${orReplace(statementText(prior.file, prior.stmt))};`);
    if (prior?.created) return NOTHING; // CREATE TRIGGER of an existing trigger fails: it never ran
    return exact(`DROP TRIGGER ${quoteIdent(trigger.trigname ?? '')} ON ${relationText(file, stmt, trigger.relation ?? {})};`);
  }
  const extension = stmtOf(stmt, 'CreateExtensionStmt');
  if (extension) {
    if (input.lastDefinition(`extension ${extension.extname}`)?.created) return NOTHING;
    return exact(`DROP EXTENSION ${quoteIdent(extension.extname ?? '')};`);
  }
  const comment = stmtOf(stmt, 'CommentStmt');
  if (comment) return invertComment(input, comment);
  const drop = stmtOf(stmt, 'DropStmt');
  if (drop?.removeType && DEFINED_IN_HISTORY.has(drop.removeType)) {
    const sql: string[] = [];
    for (const d of definitionsOf(file, stmt)) {
      const prior = input.lastDefinition(d.key);
      if (prior?.created) {
        sql.push(`${statementText(prior.file, prior.stmt)};`);
        const comment = d.key.startsWith('function ') && input.lastComment(prior.key, prior.at);
        if (comment) sql.push(comment);
      } else if (!drop.missing_ok) return none(`the definition of the dropped ${d.key.split(' ')[0]} is not in the earlier migrations`);
    }
    return sql.length ? exact(...sql) : NOTHING;
  }
  if (!MODELLED.has(kind)) return none(`pgvet knows no inverse for ${statementKindName(kind, node)}`);
  const alter = stmtOf(stmt, 'AlterTableStmt');
  if (alter) {
    // A subcommand node without a subtype reads as unknown too: `String(undefined)` is not modelled.
    const unknown = (alter.cmds ?? []).map((c) => String(nodeOf(c, 'AlterTableCmd')?.subtype)).filter((s) => !MODELLED_ALTER.has(s));
    if (unknown.length) return none(`pgvet cannot invert ${unknown.map((s) => s.replace(/^AT_/, '')).join(', ')}`);
  }
  if (input.newNotes.length) return none(...input.newNotes);
  const diffs = diffCatalogs(input.before, input.after);
  const reversal = revertDifferences(diffs, input.before, input.lookup);
  if (reversal.missing.length) return none(...reversal.missing);
  if (diffs.length === 0) {
    // CREATE OR REPLACE VIEW of an existing view changes only its query: put the earlier one back.
    const viewStmt = stmtOf(stmt, 'ViewStmt');
    const view = viewStmt?.replace ? input.before.schemas.get(viewStmt.view?.schemaname ?? 'public')?.views.get(viewStmt.view?.relname ?? '') : undefined;
    const src = view && input.lookup(view.origin);
    if (src) return exact(`${orReplace(statementText(src.file, src.stmt))};`);
    return NOTHING;
  }
  // A re-added column gets its comment back.
  for (const d of diffs) {
    if (d.kind !== 'column' || d.change !== 'removed') continue;
    const comment = input.lastComment(`column ${d.table.schema}.${d.table.name}.${d.name}`, input.positionOf(d.before!.origin));
    if (comment) reversal.sql.push(comment);
  }
  return { kind: reversal.lossy.length ? 'lossy' : 'inverse', sql: reversal.sql, notes: reversal.lossy };
}

function renameBack(file: SqlFile, stmt: SqlStatement, n: RenameStmt): Inverse {
  // The grammar gives every RENAME its new name, and the RENAME of a column, constraint, policy, trigger or schema its old one.
  const newname = n.newname ?? '';
  const subname = n.subname ?? '';
  const relname = n.relation?.relname ?? '';
  const rel = n.relation ? relationText(file, stmt, n.relation) : undefined;
  const renamed = n.relation ? (n.relation.schemaname ? `${quoteIdent(n.relation.schemaname)}.${quoteIdent(newname)}` : quoteIdent(newname)) : undefined;
  const to = (x: string) => `RENAME TO ${quoteIdent(x)};`;
  switch (n.renameType) {
    case 'OBJECT_COLUMN': return exact(`ALTER TABLE ${rel} RENAME COLUMN ${quoteIdent(newname)} TO ${quoteIdent(subname)};`);
    case 'OBJECT_TABCONSTRAINT': return exact(`ALTER TABLE ${rel} RENAME CONSTRAINT ${quoteIdent(newname)} TO ${quoteIdent(subname)};`);
    case 'OBJECT_TABLE': return exact(`ALTER TABLE ${renamed} ${to(relname)}`);
    case 'OBJECT_INDEX': return exact(`ALTER INDEX ${renamed} ${to(relname)}`);
    case 'OBJECT_VIEW': return exact(`ALTER VIEW ${renamed} ${to(relname)}`);
    case 'OBJECT_MATVIEW': return exact(`ALTER MATERIALIZED VIEW ${renamed} ${to(relname)}`);
    case 'OBJECT_SEQUENCE': return exact(`ALTER SEQUENCE ${renamed} ${to(relname)}`);
    case 'OBJECT_POLICY': return exact(`ALTER POLICY ${quoteIdent(newname)} ON ${rel} ${to(subname)}`);
    case 'OBJECT_TRIGGER': return exact(`ALTER TRIGGER ${quoteIdent(newname)} ON ${rel} ${to(subname)}`);
    case 'OBJECT_SCHEMA': return exact(`ALTER SCHEMA ${quoteIdent(newname)} ${to(subname)}`);
    case 'OBJECT_TYPE': {
      const parts = names(nodeOf(n.object, 'List')?.items);
      return exact(`ALTER TYPE ${qualified([...parts.slice(0, -1), newname])} ${to(parts.at(-1)!)}`);
    }
    default: return none(`pgvet cannot rename ${String(n.renameType).replace(/^OBJECT_/, '').toLowerCase()}s back`);
  }
}

/** A comment on an object created in this file goes with the object; on an older object, the earlier comment (or none) comes back. */
function invertComment(input: InvertInput, n: CommentStmt): Inverse {
  const target = commentTargetText(input.file, input.stmt);
  if (!target) return none('the commented object could not be read');
  const parts = names(nodeOf(n.object, 'List')?.items ?? (n.object ? [n.object] : []));
  const find = (schemaAndName: string[]) => {
    const [schema, name] = schemaAndName.length > 1 ? schemaAndName.slice(-2) : ['public', schemaAndName[0]];
    return input.start.schemas.get(schema) && { schema: input.start.schemas.get(schema)!, name };
  };
  let existed: boolean | undefined;
  if (n.objtype === 'OBJECT_COLUMN') {
    const hit = find(parts.slice(0, -1));
    existed = !!hit?.schema.tables.get(hit.name)?.columns.some((c) => c.name === parts.at(-1));
  } else if (n.objtype === 'OBJECT_TABLE' || n.objtype === 'OBJECT_VIEW' || n.objtype === 'OBJECT_MATVIEW') {
    const hit = find(parts);
    existed = !!(hit?.schema.tables.has(hit.name) || hit?.schema.views.has(hit.name));
  } else if (n.objtype === 'OBJECT_SCHEMA') existed = input.start.schemas.has(stringOf(n.object) ?? '');
  const prior = input.lastDefinition(`comment ${commentKey(input.file, input.stmt, n)}`);
  // Functions, triggers and the rest: created in this migration when the history has not seen them.
  if (existed === false) return NOTHING;
  if (prior?.created) return exact(`${statementText(prior.file, prior.stmt)};`);
  return exact(`${target} IS NULL;`);
}

/** The down migration as text: inverses last statement first, a TODO for each statement without one. */
export function downText(file: SqlFile, steps: readonly DownStep[], upName = 'the up migration'): string {
  const lines = [`-- Reverts ${upName}, last statement first (generated by pgvet).`];
  for (const step of [...steps].reverse()) {
    if (step.kind === 'nothing') continue;
    const label = statementLabel(file, step.statement);
    if (step.kind === 'none') {
      lines.push(`-- TODO: no inverse for ${label} — ${step.notes.join('; ')}`);
      continue;
    }
    for (const note of step.notes) lines.push(`-- TODO: data is lost: ${note} (${label}).`);
    lines.push(...step.sql);
  }
  return `${lines.join('\n')}\n`;
}

/** The down migration for `upFile`, applied to a database whose schema is `catalogBefore`. */
export function generateDown(upFile: SqlFile, catalogBefore: Catalog, options: DownOptions = {}): string {
  return downText(upFile, planDown(upFile, catalogBefore, options), options.path ? baseName(options.path) : undefined);
}

/** The catalog and history before the migration at `index` of an ordered list of parsed up files. */
export function historyBefore(files: readonly HistorySource[], index: number): { catalog: Catalog; history: HistorySource[] } {
  const catalog = emptyCatalog();
  const history = files.slice(0, index);
  for (const h of history) applyFile(catalog, h.path, h.parsed);
  catalog.schemas.delete(TEMP_SCHEMA);
  return { catalog, history };
}

/** The down steps of one migration of a history, the catalog before it built by replaying the migrations before it. */
export function planDownForMigration(set: MigrationSet, upPath: string): { file: SqlFile; steps: DownStep[] } | undefined {
  const index = set.migrations.findIndex((m) => m.path === upPath);
  if (index < 0) return undefined;
  const sources = set.migrations.slice(0, index + 1).map((m) => ({ path: m.path, parsed: parseSqlFile(m.upText) }));
  const { catalog, history } = historyBefore(sources, index);
  const file = sources[index].parsed;
  return { file, steps: planDown(file, catalog, { path: upPath, history }) };
}

/** "Generate down migration" for one migration of a history, independent of the editor: the down SQL text. */
export function generateDownForMigration(set: MigrationSet, upPath: string): string | undefined {
  const plan = planDownForMigration(set, upPath);
  return plan && downText(plan.file, plan.steps, baseName(upPath));
}

/* ---------- Where the down of a migration lives ---------- */

/** The down of an up file: its text (offsets of its own file), and whether it sits in the up file itself (goose, dbmate). */
export interface PairedDown {
  path: string;
  text: string;
  inUpFile: boolean;
}

/**
 * The down paired with a history file: `null` when its layout pairs one and there is none, `undefined` when
 * the layout keeps no downs or the down is in a separate file the engine did not hand over (`HistoryFile.down`).
 */
export function pairedDown(file: { path: string; text: string; context: { layout: LayoutId } } & { down?: { path: string; text: string } | null }): PairedDown | null | undefined {
  const layout = layoutById(file.context.layout);
  if (layout.down === 'section') {
    if (!layout.downMarker.test(file.text)) return null;
    return { path: file.path, text: layout.downSection(file.text), inUpFile: true };
  }
  if (layout.down === 'none' || file.down === undefined) return undefined;
  return file.down && { ...file.down, inUpFile: false };
}

/** Whether a down does nothing: no statement, only comments and markers. */
export function isEmptyDown(down: PairedDown): boolean {
  let empty = emptyDowns.get(down.text);
  if (empty === undefined) {
    empty = parseSqlFile(down.text).statements.every((s) => s.status === 'ok' && !s.ast);
    if (emptyDowns.size > 5000) emptyDowns.clear();
    emptyDowns.set(down.text, empty);
  }
  return empty;
}

/** isEmptyDown by down text: several rules ask about every down of a history at each lint. */
const emptyDowns = new Map<string, boolean>();

/** The path (relative to the up file's folder) where the layout keeps the down of `upPath`. */
export function downFileName(layout: LayoutId, upPath: string): string | undefined {
  const spec = layoutById(layout);
  return spec.down === 'file' ? spec.downFileName(baseName(upPath)) : undefined;
}
