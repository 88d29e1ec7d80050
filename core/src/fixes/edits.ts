import type { TypeName } from '@pgsql/types';
import { layoutById, type FileContext } from '../catalog/layouts';
import { explicitTransactionStatements, findWord, quoteIdent, typeNameRange } from '../parse/sql/ast';
import type { CheckConstraint, Column, EnumType, FkAction, ForeignKey, Index, IndexKey, KeyConstraint, Origin, Policy } from '../catalog/model';
import type { Fix, TextEdit } from '../rule-kit/fix';
import type { HistoryFile } from '../catalog/history-file';
import type { SqlFile, SqlStatement } from '../parse/sql/parser';

/** Inserts `text` right after the first whole-word match of `keyword` in the statement. */
export function insertAfterKeyword(file: SqlFile, stmt: SqlStatement, keyword: RegExp, text: string): TextEdit | undefined {
  const at = findWord(file, stmt, keyword);
  return at ? { start: at.end, end: at.end, newText: text } : undefined;
}

/** Removes the first whole-word match of `keyword` and the white space before it. */
export function removeKeyword(file: SqlFile, stmt: SqlStatement, keyword: RegExp): TextEdit | undefined {
  const at = findWord(file, stmt, keyword);
  if (!at) return undefined;
  let start = at.start;
  while (start > stmt.start && /[ \t]/.test(file.text[start - 1])) start--;
  return { start, end: at.end, newText: '' };
}

/** The line break style of the file. */
export function eol(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

const eolByFile = new WeakMap<SqlFile, string>();

/** `eol` once per parsed file (a fix per finding would otherwise scan the whole text each time). */
function fileEol(file: SqlFile): string {
  let nl = eolByFile.get(file);
  if (nl === undefined) eolByFile.set(file, (nl = eol(file.text)));
  return nl;
}

/** Inserts whole lines after the statement (on the line after its end). */
export function insertAfterStatement(file: SqlFile, stmt: SqlStatement, lines: string): TextEdit {
  const nl = fileEol(file);
  const lineEnd = file.text.indexOf('\n', stmt.end);
  if (lineEnd < 0) return { start: file.text.length, end: file.text.length, newText: `${nl}${lines}${nl}` };
  return { start: lineEnd + 1, end: lineEnd + 1, newText: `${lines}${nl}` };
}

/** The fix that tells the file's migration tool to run it outside a transaction, when the tool has such a switch. */
export function nonTransactionalFix(file: SqlFile, ctx: FileContext): Fix | undefined {
  const marker = ctx.nonTransactionalMarker;
  if (!marker) return undefined;
  switch (marker.kind) {
    case 'insert-line-at-top':
      return { title: marker.title, edits: [{ start: 0, end: 0, newText: `${marker.line}${eol(file.text)}` }] };
    case 'replace-in-file': {
      const m = marker.search.exec(file.text);
      if (!m) return undefined;
      return { title: marker.title, edits: [{ start: m.index, end: m.index + m[0].length, newText: m[0].replace(marker.search, marker.replacement) }] };
    }
    case 'write-sibling':
      return { title: marker.title, edits: [], createFiles: [{ relativePath: marker.fileName, content: marker.content }] };
  }
}

/**
 * Tools that send a migration file as one query string: PostgreSQL runs a string of several statements as one
 * implicit transaction and a string of one statement outside any, so only a one-statement file may use CONCURRENTLY.
 */
export const ONE_QUERY_STRING_LAYOUTS: ReadonlySet<string> = new Set(['prisma', 'golang-migrate']);

/**
 * Whether a statement inserted into this file next to `stmt` would run outside any transaction, so it may use
 * CONCURRENTLY: not between BEGIN and COMMIT, not in a file its tool wraps in a transaction, and not in a
 * one-query-string file (the insertion makes it several statements, one implicit transaction). Flyway is left
 * out: it refuses a script that mixes CONCURRENTLY with statements that run in a transaction.
 */
export function insertedStatementRunsOutsideTransaction(file: { parsed: SqlFile; context: FileContext }, stmt: SqlStatement): boolean {
  const { context } = file;
  if (context.transactional || ONE_QUERY_STRING_LAYOUTS.has(context.layout) || context.layout === 'flyway') return false;
  return !explicitTransactionStatements(file.parsed).has(stmt.index);
}

/** The statements the tool runs going up (goose and dbmate keep the down section in the same file). */
export function upStatements(file: SqlFile, context: FileContext): SqlStatement[] {
  // Once per parsed file: rules ask for every index statement of it, and a file may hold thousands.
  const cached = upStatementsOf.get(file);
  if (cached && cached.layout === context.layout) return cached.statements;
  const up = layoutById(context.layout).upSection?.(file.text) ?? file.text;
  const statements = file.statements.filter((s) => s.ast && up.slice(s.start, s.end).trim() !== '');
  upStatementsOf.set(file, { layout: context.layout, statements });
  return statements;
}

const upStatementsOf = new WeakMap<SqlFile, { layout: string; statements: SqlStatement[] }>();

/**
 * A fix that writes CONCURRENTLY into `stmt`, kept only where its result runs: not between BEGIN and COMMIT, in a
 * file its tool runs outside a transaction (a one-query-string file only while it stays one statement). When `stmt`
 * is the file's only statement, the tool's switch (goose NO TRANSACTION, dbmate transaction:false, diesel
 * metadata.toml) joins the fix; Flyway switches on its own when the script is that one CONCURRENTLY statement.
 */
export function concurrentlyWhereItRuns(file: SqlFile, context: FileContext, stmt: SqlStatement, fix: Fix, statementsAfter: number): Fix | undefined {
  if (explicitTransactionStatements(file).has(stmt.index)) return undefined;
  if (ONE_QUERY_STRING_LAYOUTS.has(context.layout)) return statementsAfter === 1 ? fix : undefined;
  if (!context.transactional) return fix;
  if (upStatements(file, context).length !== 1) return undefined;
  if (context.layout === 'flyway') return statementsAfter === 1 ? fix : undefined;
  const marker = nonTransactionalFix(file, context);
  if (!marker) return undefined;
  const also = marker.title.charAt(0).toLowerCase() + marker.title.slice(1);
  return { title: `${fix.title}, and ${also}`, edits: [...marker.edits, ...fix.edits], createFiles: marker.createFiles, safe: false };
}

/**
 * Inserts whole lines before the statement. When `-- pgvet-ignore` lines sit right above the statement the
 * lines go above them, so each ignore comment keeps applying to the statement it was written for.
 */
export function insertBeforeStatement(file: SqlFile, stmt: SqlStatement, lines: string): TextEdit {
  const nl = eol(file.text);
  const text = file.text;
  const lineStart = text.lastIndexOf('\n', stmt.start - 1) + 1;
  const indent = text.slice(lineStart, stmt.start);
  // The statement shares its line with something else: insert inline.
  if (indent.trim() !== '') return { start: stmt.start, end: stmt.start, newText: `${lines} ` };
  let at = lineStart;
  while (at > 0) {
    const prevStart = text.lastIndexOf('\n', at - 2) + 1;
    if (!/^\s*(?:--|\/\*)\s*pgvet-ignore(?!-file)/.test(text.slice(prevStart, at))) break;
    at = prevStart;
  }
  return { start: at, end: at, newText: `${lines.split('\n').map((l) => indent + l).join(nl)}${nl}` };
}

/** Replaces a column's type as written (array brackets kept), in upper case when the original was (Prisma writes `INTEGER`). */
export function replaceTypeEdit(file: SqlFile, stmt: SqlStatement, typeName: TypeName, newType: string): TextEdit | undefined {
  const range = typeNameRange(file, stmt, typeName);
  if (!range) return undefined;
  const old = file.text.slice(range.start, range.end);
  const upper = old === old.toUpperCase() && old !== old.toLowerCase();
  return { start: range.start, end: range.end, newText: upper ? newType.toUpperCase() : newType };
}

/** The statement of a parsed file that starts at `start` (where a catalog object's origin points). */
export function statementStartingAt(file: SqlFile, start: number): SqlStatement | undefined {
  let byStart = statementsByStart.get(file);
  if (!byStart) {
    byStart = new Map();
    for (const s of file.statements) if (!byStart.has(s.start)) byStart.set(s.start, s);
    statementsByStart.set(file, byStart);
  }
  return byStart.get(start);
}

/** Per parsed file, built once: schema rules look a statement up for each of their findings. */
const statementsByStart = new WeakMap<SqlFile, Map<number, SqlStatement>>();

/** A table name for generated SQL: bare in `public`, schema-qualified elsewhere, quoted where PostgreSQL needs it. */
export function tableReference(table: { schema: string; name: string }): string {
  return table.schema === 'public' ? quoteIdent(table.name) : `${quoteIdent(table.schema)}.${quoteIdent(table.name)}`;
}

/** Inserts whole lines after the statement a catalog object's origin points at; undefined when that file is not in the history. */
export function insertAfterOrigin(files: ReadonlyMap<string, HistoryFile>, origin: Origin, lines: string): TextEdit | undefined {
  const file = files.get(origin.file);
  const stmt = file && statementStartingAt(file.parsed, origin.start);
  return stmt && insertAfterStatement(file.parsed, stmt, lines);
}

/** `CREATE POLICY <name> ON <table> USING (<col> = (select current_setting('<setting>'))::<type>);` — the setting read once per query, not per row. */
export function tenantPolicySql(table: { schema: string; name: string }, column: string, type: string, setting: string, name: string): string {
  return `CREATE POLICY ${quoteIdent(name)} ON ${tableReference(table)} USING (${quoteIdent(column)} = (select current_setting('${setting.replace(/'/g, "''")}'))::${type});`;
}

/** `tenant_isolation`, or `tenant_isolation_2` … when the table already has a policy of that name. */
export function freePolicyName(existing: readonly { name: string }[], base = 'tenant_isolation'): string {
  let name = base;
  for (let k = 2; existing.some((p) => p.name === name); k++) name = `${base}_${k}`;
  return name;
}

/** `"schema"."name"` for generated SQL, bare in `public` (any object that lives in a schema). */
export function objectReference(schema: string, name: string): string {
  return tableReference({ schema, name });
}

/** A column definition rebuilt from the catalog (`email text NOT NULL DEFAULT ''`); `serial` when its sequence is owned by it. */
export function columnDefinitionSql(column: Column, ownsSerialSequence = false): string {
  const serial: Record<string, string> = { integer: 'serial', bigint: 'bigserial', smallint: 'smallserial' };
  if (ownsSerialSequence && serial[column.type] && /^nextval\(/.test(column.default ?? '')) return `${quoteIdent(column.name)} ${serial[column.type]}`;
  let sql = `${quoteIdent(column.name)} ${column.type}`;
  if (column.generated !== undefined) sql += ` GENERATED ALWAYS AS (${column.generated.replace(/\s+STORED\s*$/i, '')}) STORED`;
  if (column.identity) sql += ` GENERATED ${column.identity === 'always' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY`;
  else if (column.notNull) sql += ' NOT NULL';
  if (column.default !== undefined && !column.identity) sql += ` DEFAULT ${column.default}`;
  return sql;
}

/** One key of an index as CREATE INDEX takes it: column or `(expression)`, COLLATE, operator class, DESC, NULLS. */
export function indexKeySql(k: IndexKey): string {
  let sql = k.column !== undefined ? quoteIdent(k.column) : `(${k.expression})`;
  if (k.collation) sql += ` COLLATE ${k.collation}`;
  if (k.opclass) sql += ` ${k.opclass}`;
  if (k.descending) sql += ' DESC';
  if (k.nulls) sql += ` NULLS ${k.nulls.toUpperCase()}`;
  return sql;
}

/** `CREATE [UNIQUE] INDEX` rebuilt from the catalog. */
export function createIndexSql(table: { schema: string; name: string }, index: Index): string {
  const keys = index.keys.map(indexKeySql).join(', ');
  const include = index.include.length ? ` INCLUDE (${index.include.map(quoteIdent).join(', ')})` : '';
  const method = index.method === 'btree' ? '' : ` USING ${index.method}`;
  const options = index.options?.length ? ` WITH (${index.options.join(', ')})` : '';
  const where = index.predicate !== undefined ? ` WHERE ${index.predicate}` : '';
  return `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${quoteIdent(index.name)} ON ${tableReference(table)}${method} (${keys})${include}${options}${where};`;
}

const DEFERRABLE_SQL = { immediate: ' DEFERRABLE', deferred: ' DEFERRABLE INITIALLY DEFERRED' };

const ACTION_SQL: Record<FkAction, string> = { 'no action': 'NO ACTION', restrict: 'RESTRICT', cascade: 'CASCADE', 'set null': 'SET NULL', 'set default': 'SET DEFAULT' };

/** The body of `ADD CONSTRAINT <name> …` for a key, foreign key or check from the catalog. */
export function constraintDefinitionSql(kind: 'primary key' | 'unique' | 'foreign key' | 'check', c: KeyConstraint | ForeignKey | CheckConstraint): string {
  const cols = (xs: string[]) => xs.map(quoteIdent).join(', ');
  if (kind === 'check') {
    return `CHECK (${(c as CheckConstraint).expression.trim()})`;
  }
  if (kind === 'foreign key') {
    const fk = c as ForeignKey;
    const actions = `${fk.onDelete !== 'no action' ? ` ON DELETE ${ACTION_SQL[fk.onDelete]}` : ''}${fk.onUpdate !== 'no action' ? ` ON UPDATE ${ACTION_SQL[fk.onUpdate]}` : ''}`;
    return `FOREIGN KEY (${cols(fk.columns)}) REFERENCES ${tableReference(fk.references)} (${cols(fk.referencedColumns)})${actions}${fk.deferrable ? DEFERRABLE_SQL[fk.deferrable] : ''}`;
  }
  const key = c as KeyConstraint;
  return `${kind === 'primary key' ? 'PRIMARY KEY' : 'UNIQUE'} (${cols(key.columns)})${key.deferrable ? DEFERRABLE_SQL[key.deferrable] : ''}`;
}

/** `CREATE POLICY` rebuilt from the catalog. */
export function createPolicySql(table: { schema: string; name: string }, p: Policy): string {
  const as = p.permissive ? '' : ' AS RESTRICTIVE';
  const roles = p.roles.map((r) => (r === 'public' ? 'PUBLIC' : quoteIdent(r))).join(', ');
  const using = p.using !== undefined ? ` USING (${p.using})` : '';
  const check = p.withCheck !== undefined ? ` WITH CHECK (${p.withCheck})` : '';
  return `CREATE POLICY ${quoteIdent(p.name)} ON ${tableReference(table)}${as} FOR ${p.command.toUpperCase()} TO ${roles}${using}${check};`;
}

/** `CREATE TYPE … AS ENUM (…)` from the catalog. */
export function createEnumSql(e: EnumType): string {
  return `CREATE TYPE ${objectReference(e.schema, e.name)} AS ENUM (${e.values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ')});`;
}

/** Where a finding about a whole migration goes: its first statement (so `-- pgvet-ignore` above it applies), else its first line. */
export function migrationFindingRange(file: { text: string; parsed: SqlFile }): { start: number; end: number } {
  const first = file.parsed.statements.find((s) => s.ast);
  if (first) return { start: first.start, end: first.end };
  const lineEnd = file.text.indexOf('\n');
  return { start: 0, end: lineEnd < 0 ? file.text.length : lineEnd };
}

/** Removes a comment: its whole line when nothing else is on it, else just the comment. */
export function removeCommentEdit(text: string, start: number, end: number): TextEdit {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  let lineEnd = text.indexOf('\n', end);
  if (lineEnd < 0) lineEnd = text.length;
  const alone = text.slice(lineStart, start).trim() === '' && text.slice(end, lineEnd).trim() === '';
  return alone ? { start: lineStart, end: Math.min(lineEnd + 1, text.length), newText: '' } : { start, end, newText: '' };
}
