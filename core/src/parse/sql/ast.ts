import type { AlterTableCmd, AlterTableStmt, ColumnDef, Node, RangeVar, ReindexStmt, TypeName } from '@pgsql/types';
import type { ScanToken } from 'libpg-query';
import { scanSync } from './libpg';
import { isTableRef, nodeOf, nodesOf, stringOf, type NodeOf, type StatementKind, type TableRef } from './nodes';
import { plainCommandRanges } from './command-ranges';
import { offsetMapFor } from './offsets';
import type { SqlFile, SqlStatement } from './parser';

/** The inner object of a statement node of the given type, e.g. `stmtOf(s, 'IndexStmt')`. */
export function stmtOf<K extends StatementKind>(stmt: SqlStatement, type: K): NodeOf<K> | undefined {
  // The parser's statements know their kind; others (a DO block's) are looked up.
  if (stmt.kind !== undefined) return stmt.kind === type ? nodeOf(stmt.ast, type) : undefined;
  return nodeOf(stmt.ast, type);
}

export function stmtType(stmt: SqlStatement): StatementKind | undefined {
  if (stmt.kind !== undefined) return stmt.kind as StatementKind;
  return stmt.ast ? (Object.keys(stmt.ast)[0] as StatementKind) : undefined;
}

export type { RangeVar };

/** `schema.table` or `table`, lower-cased the way PostgreSQL folds unquoted names (the AST has folded them already). */
export function qualifiedName(rel: RangeVar | undefined): string {
  if (!rel) return '';
  return rel.schemaname ? `${rel.schemaname}.${rel.relname}` : (rel.relname ?? '');
}

/** Strips a `public.` schema so `public.t` and `t` compare equal. */
export function tableKey(rel: RangeVar | undefined): string {
  if (!rel) return '';
  return !rel.schemaname || rel.schemaname === 'public' ? (rel.relname ?? '') : `${rel.schemaname}.${rel.relname}`;
}

/**
 * For each table name, the index of the statement that made it known in this file (CREATE TABLE,
 * CREATE TABLE AS, SELECT … INTO, CREATE MATERIALIZED VIEW, or a RENAME of such a table). Built once per file: rules ask per statement.
 */
const createdInFile = new WeakMap<SqlFile, Map<string, number>>();

function tablesCreatedInFile(file: SqlFile): Map<string, number> {
  let known = createdInFile.get(file);
  if (known) return known;
  known = new Map();
  for (const s of file.statements) {
    // CREATE TABLE names its relation `relation`; CREATE TABLE AS, CREATE MATERIALIZED VIEW and SELECT … INTO name it `into.rel`.
    const created = stmtOf(s, 'CreateStmt')?.relation ?? stmtOf(s, 'CreateTableAsStmt')?.into?.rel ?? stmtOf(s, 'SelectStmt')?.intoClause?.rel;
    if (created) {
      const key = tableKey(created);
      if (!known.has(key)) known.set(key, s.index);
    }
    const rename = stmtOf(s, 'RenameStmt');
    if (rename?.renameType === 'OBJECT_TABLE' && rename.relation && known.has(tableKey(rename.relation))) {
      const renamed = tableKey({ schemaname: rename.relation.schemaname, relname: rename.newname });
      if (!known.has(renamed)) known.set(renamed, s.index);
    }
  }
  createdInFile.set(file, known);
  return known;
}

/** The names of the tables created by statements before `index` in this file (a view on a per-file index). */
export function tablesCreatedBefore(file: SqlFile, index: number): Pick<ReadonlySet<string>, 'has'> {
  const known = tablesCreatedInFile(file);
  return { has: (name: string) => (known.get(name) ?? Infinity) < index };
}

/** Whether `rel` names a table that existed before this file ran (not created earlier in the same file). */
export function isExistingTable(file: SqlFile, stmt: SqlStatement, rel: RangeVar | undefined): boolean {
  if (!rel) return false;
  const at = tablesCreatedInFile(file).get(tableKey(rel));
  return at === undefined || at >= stmt.index;
}

/** An ALTER TABLE whose table is named. */
export type TableAlter = AlterTableStmt & { relation: TableRef };

/** A list made once per parse of a file: several rules ask for it in one lint (each walked the file again). */
export function oncePerFile<T>(make: (file: SqlFile) => T): (file: SqlFile) => T {
  const made = new WeakMap<SqlFile, T>();
  return (file) => {
    if (made.has(file)) return made.get(file)!;
    const value = make(file);
    made.set(file, value);
    return value;
  };
}

/** The ALTER TABLE statements of a file that act on a table existing before the file (what the lock rules look at). */
export const alterTablesOfExistingTables: (file: SqlFile) => readonly { stmt: SqlStatement; alter: TableAlter }[] = oncePerFile((file) => {
  const out: { stmt: SqlStatement; alter: TableAlter }[] = [];
  for (const stmt of file.statements) {
    const alter = stmtOf(stmt, 'AlterTableStmt');
    // The same object, its relation checked: rules may key on the node.
    if (alter && alter.objtype === 'OBJECT_TABLE' && isTableRef(alter.relation) && isExistingTable(file, stmt, alter.relation)) out.push({ stmt, alter: alter as TableAlter });
  }
  return out;
});

const explicitByFile = new WeakMap<SqlFile, Set<number>>();

/** Statements between an explicit BEGIN/START TRANSACTION and COMMIT/ROLLBACK in the file. */
export function explicitTransactionStatements(file: SqlFile): ReadonlySet<number> {
  // Once per file: rules and fixes ask for each of their findings, and a file may have thousands.
  const known = explicitByFile.get(file);
  if (known) return known;
  const inside = new Set<number>();
  explicitByFile.set(file, inside);
  let open = false;
  for (const s of file.statements) {
    const tx = stmtOf(s, 'TransactionStmt');
    if (tx) {
      if (tx.kind === 'TRANS_STMT_BEGIN' || tx.kind === 'TRANS_STMT_START') open = true;
      else if (tx.kind && ['TRANS_STMT_COMMIT', 'TRANS_STMT_ROLLBACK', 'TRANS_STMT_PREPARE', 'TRANS_STMT_COMMIT_PREPARED', 'TRANS_STMT_ROLLBACK_PREPARED'].includes(tx.kind)) open = false;
      continue;
    }
    if (open) inside.add(s.index);
  }
  return inside;
}

/** Offset of the first case-insensitive match of `word` (as a whole word) in the statement text, from `from`. */
export function findWord(file: SqlFile, stmt: SqlStatement, word: RegExp, from = stmt.start): { start: number; end: number } | undefined {
  const re = new RegExp(word.source, word.flags.includes('g') ? word.flags : word.flags + 'g');
  re.lastIndex = 0;
  const text = file.text.slice(from, stmt.end);
  const m = re.exec(text);
  if (!m) return undefined;
  return { start: from + m.index, end: from + m.index + m[0].length };
}

export type { Node };

/** A lexical token of a statement, with UTF-16 offsets into the file. Comments are left out. */
export interface Token {
  start: number;
  end: number;
  text: string;
  /** PostgreSQL's keyword class: NO_KEYWORD, UNRESERVED_KEYWORD, COL_NAME_KEYWORD, TYPE_FUNC_NAME_KEYWORD, RESERVED_KEYWORD. */
  keyword: string;
}

const tokenCache = new WeakMap<SqlStatement, Token[]>();

/** The statement's tokens from PostgreSQL's own scanner, so quotes, dollar quotes and comments are never misread. */
export function statementTokens(file: SqlFile, stmt: SqlStatement): Token[] {
  let tokens = tokenCache.get(stmt);
  if (tokens) return tokens;
  const body = file.text.slice(stmt.start, stmt.end);
  const map = offsetMapFor(body);
  let scanned: ScanToken[] = [];
  try {
    scanned = scanSync(body).tokens;
  } catch {
    // An unscannable statement cannot be ok-parsed either; rules only look at parsed ones.
  }
  tokens = scanned
    .filter((t) => t.tokenName !== 'SQL_COMMENT' && t.tokenName !== 'C_COMMENT')
    .map((t) => ({ start: stmt.start + map.toUtf16(t.start), end: stmt.start + map.toUtf16(t.end), text: body.slice(map.toUtf16(t.start), map.toUtf16(t.end)), keyword: t.keywordName }));
  tokenCache.set(stmt, tokens);
  return tokens;
}

/** Index of the token starting at (or, failing that, containing) the file offset. */
export function tokenIndexAt(tokens: Token[], offset: number): number {
  const exact = tokens.findIndex((t) => t.start === offset);
  return exact >= 0 ? exact : tokens.findIndex((t) => t.start <= offset && offset < t.end);
}

/** The range of a possibly qualified name (`"s"."t"`) whose first token starts at `offset`. */
export function qualifiedNameRange(tokens: Token[], offset: number): { start: number; end: number } | undefined {
  let k = tokenIndexAt(tokens, offset);
  if (k < 0) return undefined;
  const start = tokens[k].start;
  while (tokens[k + 1]?.text === '.' && tokens[k + 2]) k += 2;
  return { start, end: tokens[k].end };
}

/** The table name exactly as written in the statement (quotes and schema kept), for building new statements. */
export function relationText(file: SqlFile, stmt: SqlStatement, rel: RangeVar): string {
  const range = rel.location === undefined ? undefined : qualifiedNameRange(statementTokens(file, stmt), stmt.toFileOffset(rel.location));
  if (range) return file.text.slice(range.start, range.end);
  const relname = rel.relname ?? '';
  return rel.schemaname ? `${quoteIdent(rel.schemaname)}.${quoteIdent(relname)}` : quoteIdent(relname);
}

/** `name` as an SQL identifier: bare when PostgreSQL would read it back unchanged, double-quoted otherwise. */
export function quoteIdent(name: string): string {
  if (/^[a-z_][a-z0-9_$]*$/.test(name)) {
    let kind = 'NO_KEYWORD';
    try {
      kind = scanSync(name).tokens[0]?.keywordName ?? kind;
    } catch {
      kind = 'RESERVED_KEYWORD';
    }
    if (kind === 'NO_KEYWORD' || kind === 'UNRESERVED_KEYWORD') return name;
  }
  return `"${name.replace(/"/g, '""')}"`;
}

/** One subcommand of an ALTER TABLE, with the range of its text (without the separating comma). */
export interface AlterTableCommand {
  cmd: AlterTableCmd;
  start: number;
  end: number;
  /** Position in `cmds`. */
  index: number;
  /** False when the range is the whole statement because the subcommand could not be told apart: do not edit it. */
  located: boolean;
}

/**
 * The subcommands of an ALTER TABLE (those of the given `subtypes`, or all) with their text ranges. The AST gives subcommands no location, so the
 * ranges come from splitting the tokens after the table name at top-level commas; when that split does not
 * match the AST, every subcommand gets the whole statement as its range.
 */
export function alterTableCommands(file: SqlFile, stmt: SqlStatement, subtypes?: readonly string[]): AlterTableCommand[] {
  const alter = stmtOf(stmt, 'AlterTableStmt');
  if (!alter) return [];
  const cmds = nodesOf(alter.cmds, 'AlterTableCmd');
  const wanted = cmds.map((cmd, index) => ({ cmd, index })).filter(({ cmd }) => !subtypes || (cmd.subtype !== undefined && subtypes.includes(cmd.subtype)));
  // Scanning the statement is the costly part: done only when some subcommand is wanted.
  if (wanted.length === 0) return [];
  const parts = commandRanges(file, stmt, alter, cmds.length);
  return wanted.map(({ cmd, index }) => (parts ? { cmd, index, ...parts[index], located: true } : { cmd, index, start: stmt.start, end: stmt.end, located: false }));
}

/** The text range of each subcommand, or null when the tokens do not split into as many parts as there are commands. */
function commandRanges(file: SqlFile, stmt: SqlStatement, alter: AlterTableStmt, count: number): { start: number; end: number }[] | null {
  if (alter.relation?.location !== undefined) {
    const plain = plainCommandRanges(file.text, stmt.start, stmt.end, stmt.toFileOffset(alter.relation.location), count);
    if (plain !== 'unsure') return plain;
  }
  return scannedCommandRanges(file, stmt, alter, count);
}

/** commandRanges from PostgreSQL's scanner: the tokens after the table name split at top-level commas. Exported for the test that holds the two ways equal. */
export function scannedCommandRanges(file: SqlFile, stmt: SqlStatement, alter: AlterTableStmt, count: number): { start: number; end: number }[] | null {
  const tokens = statementTokens(file, stmt);
  const name = alter.relation?.location === undefined ? undefined : qualifiedNameRange(tokens, stmt.toFileOffset(alter.relation.location));
  if (!name) return null;
  let k = tokens.findIndex((t) => t.start >= name.end);
  if (k < 0) return null;
  const parts: { start: number; end: number }[] = [];
  let depth = 0;
  let first = k;
  for (; k < tokens.length; k++) {
    const t = tokens[k].text;
    if (t === '(' || t === '[') depth++;
    else if (t === ')' || t === ']') depth--;
    else if (depth === 0 && (t === ',' || t === ';')) {
      if (k > first) parts.push({ start: tokens[first].start, end: tokens[k - 1].end });
      first = k + 1;
    }
  }
  if (first < tokens.length) parts.push({ start: tokens[first].start, end: tokens[tokens.length - 1].end });
  return parts.length === count ? parts : null;
}

/** The last part of a type name without `pg_catalog.`: `int4`, `varchar`, `timestamp`, `serial` … */
export function typeBaseName(typeName: TypeName | undefined): string | undefined {
  const names = (typeName?.names ?? []).map(stringOf);
  if (names.length === 2 && names[0] === 'pg_catalog') return names[1];
  return names.length === 1 ? names[0] : undefined;
}

/** Integer type modifiers, e.g. `[255]` for varchar(255), `[10, 2]` for numeric(10,2). */
export function typeMods(typeName: TypeName | undefined): number[] {
  return (typeName?.typmods ?? []).map((m) => nodeOf(m, 'A_Const')?.ival?.ival ?? 0);
}

const TYPE_WORDS = new Set(['varying', 'precision', 'with', 'without', 'time', 'zone', 'year', 'month', 'day', 'hour', 'minute', 'second', 'to']);

/**
 * The range of a column type as written, without its array brackets: `timestamp(3) without time zone`,
 * `character varying(255)`, `"public"."mytype"`. Starts at the AST's typeName location.
 */
export function typeNameRange(file: SqlFile, stmt: SqlStatement, typeName: TypeName): { start: number; end: number } | undefined {
  if (typeName.location === undefined || typeName.location < 0) return undefined;
  const tokens = statementTokens(file, stmt);
  const name = qualifiedNameRange(tokens, stmt.toFileOffset(typeName.location));
  if (!name) return undefined;
  let k = tokens.findIndex((t) => t.start >= name.end);
  let end = name.end;
  while (k >= 0 && k < tokens.length) {
    const t = tokens[k];
    if (TYPE_WORDS.has(t.text.toLowerCase()) && t.keyword !== 'NO_KEYWORD') {
      end = t.end;
      k++;
    } else if (t.text === '(') {
      let depth = 0;
      for (; k < tokens.length; k++) {
        if (tokens[k].text === '(') depth++;
        else if (tokens[k].text === ')' && --depth === 0) break;
      }
      if (k >= tokens.length) break;
      end = tokens[k].end;
      k++;
    } else break;
  }
  return { start: name.start, end };
}

/** A column whose type a statement declares: in CREATE TABLE, ADD COLUMN or ALTER COLUMN … TYPE. */
export interface DeclaredColumn {
  stmt: SqlStatement;
  table: TableRef;
  column: string;
  typeName: TypeName;
  /** The whole column definition (its constraints tell about defaults and identity). */
  def: ColumnDef;
  how: 'create-table' | 'add-column' | 'alter-type';
}

/** Every column type declared by the file's statements, in file order. */
export const declaredColumns: (file: SqlFile) => readonly DeclaredColumn[] = oncePerFile((file) => {
  const out: DeclaredColumn[] = [];
  for (const stmt of file.statements) {
    const create = stmtOf(stmt, 'CreateStmt');
    if (create && isTableRef(create.relation)) {
      for (const def of nodesOf(create.tableElts, 'ColumnDef')) {
        if (def.typeName) out.push({ stmt, table: create.relation, column: def.colname ?? '', typeName: def.typeName, def, how: 'create-table' });
      }
    }
    const alter = stmtOf(stmt, 'AlterTableStmt');
    if (alter && isTableRef(alter.relation) && alter.objtype === 'OBJECT_TABLE') {

      for (const cmd of nodesOf(alter.cmds, 'AlterTableCmd')) {
        const def = nodeOf(cmd.def, 'ColumnDef');
        if (!def?.typeName) continue;
        if (cmd.subtype === 'AT_AddColumn') out.push({ stmt, table: alter.relation, column: def.colname ?? '', typeName: def.typeName, def, how: 'add-column' });
        if (cmd.subtype === 'AT_AlterColumnType') out.push({ stmt, table: alter.relation, column: cmd.name ?? '', typeName: def.typeName, def, how: 'alter-type' });
      }
    }
  }
  return out;
});

const NAMEDATALEN = 64;

/**
 * The name PostgreSQL gives a constraint or index the user did not name (its makeObjectName):
 * `<table>_<cols>_<label>`, with the longer of the two parts trimmed until it fits in 63 bytes.
 * PostgreSQL appends a digit when the name is taken; that cannot be known from one file.
 */
export function defaultObjectName(table: string, columns: string[], label: string): string {
  let name1 = table;
  let name2 = columns.join('_');
  const overhead = label.length + 1 + (name2 ? 1 : 0);
  const avail = NAMEDATALEN - 1 - overhead;
  const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
  while (bytes(name1) + bytes(name2) > avail) {
    if (bytes(name1) > bytes(name2)) name1 = [...name1].slice(0, -1).join('');
    else name2 = [...name2].slice(0, -1).join('');
  }
  return [name1, name2, label].filter(Boolean).join('_');
}

/** Names of the indexes created by statements before `index` in this file. */
export function indexesCreatedBefore(file: SqlFile, index: number): Pick<ReadonlySet<string>, 'has'> {
  let known = indexesInFile.get(file);
  if (!known) {
    known = new Map();
    for (const s of file.statements) {
      const create = stmtOf(s, 'IndexStmt');
      if (create?.idxname && !known.has(create.idxname)) known.set(create.idxname, s.index);
    }
    indexesInFile.set(file, known);
  }
  const map = known;
  return { has: (name: string) => (map.get(name) ?? Infinity) < index };
}

/** Index names created in a file, with the statement that first created each: built once per file. */
const indexesInFile = new WeakMap<SqlFile, Map<string, number>>();

/**
 * The argument types of a function as written (`integer, character varying(10)[]`), the part DROP FUNCTION needs:
 * IN, INOUT and VARIADIC parameters only. Undefined when a type cannot be located in the text.
 */
export function functionArgumentTypes(file: SqlFile, stmt: SqlStatement, parameters: Node[] | undefined): string | undefined {
  const types: string[] = [];
  for (const p of nodesOf(parameters, 'FunctionParameter')) {
    if (p.mode === 'FUNC_PARAM_OUT' || p.mode === 'FUNC_PARAM_TABLE') continue;
    const range = p.argType && typeNameRange(file, stmt, p.argType);
    if (!range || !p.argType) return undefined;
    const arrays = '[]'.repeat((p.argType.arrayBounds ?? []).length);
    types.push(file.text.slice(range.start, range.end) + arrays);
  }
  return types.join(', ');
}

/** `COMMENT ON COLUMN t.c` — the statement's text before its top-level `IS`, naming the commented object. */
export function commentTargetText(file: SqlFile, stmt: SqlStatement): string | undefined {
  let depth = 0;
  for (const t of statementTokens(file, stmt)) {
    if (t.text === '(') depth++;
    else if (t.text === ')') depth--;
    else if (depth === 0 && /^is$/i.test(t.text) && t.keyword !== 'NO_KEYWORD') return file.text.slice(stmt.start, t.start).trim();
  }
  return undefined;
}

/** The source text of a statement without its terminating semicolon. */
export function statementText(file: SqlFile, stmt: SqlStatement): string {
  return file.text.slice(stmt.start, stmt.end).replace(/;\s*$/, '').trim();
}

/**
 * Whether a REINDEX runs concurrently: `REINDEX … CONCURRENTLY` and `REINDEX (CONCURRENTLY)` do, but
 * `REINDEX (CONCURRENTLY false)` / `off` / `0` do not (PostgreSQL reads the option with defGetBoolean).
 */
export function isConcurrentReindex(reindex: ReindexStmt | undefined): boolean {
  const option = reindex?.params?.map((p) => nodeOf(p, 'DefElem')).find((d) => d?.defname === 'concurrently');
  if (!option) return false;
  const arg = option.arg;
  if (!arg) return true;
  const bool = nodeOf(arg, 'Boolean');
  if (bool) return !!bool.boolval;
  const int = nodeOf(arg, 'Integer');
  if (int) return (int.ival ?? 0) !== 0;
  const text = String(stringOf(arg) ?? nodeOf(arg, 'A_Const')?.sval?.sval ?? '').toLowerCase();
  return !['false', 'off', '0', 'no'].includes(text);
}
