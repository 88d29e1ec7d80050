import { parseSqlFile, type Node } from '../parse/sql/parser';
import { isConcurrentReindex } from '../parse/sql/ast';
import { childrenOf, nodeOf } from '../parse/sql/nodes';

/**
 * Splitting a migration into the statements to send one by one, and turning PostgreSQL's errors into file
 * offsets. Shared by the shadow database (core/src/shadow/shadow-db.ts) and `pgvet verify`.
 */

/** One statement of a migration, as sent. */
export interface PlannedStatement {
  /** UTF-16 offsets into the text the plan was made from (same offsets as the file: other sections are blanked). */
  start: number;
  end: number;
  text: string;
  /** CREATE EXTENSION of this name: skipped (with a note) when the database has no such extension. */
  extension?: string;
  /** Cannot run inside a transaction block (CONCURRENTLY, VACUUM …). */
  outsideTransaction: boolean;
  /** BEGIN / COMMIT / ROLLBACK / SAVEPOINT written in the file. */
  transactionControl: boolean;
  /** The statement is not SQL PostgreSQL can take as is (psql variables, templates): skipped with a note. */
  skip?: string;
  /** How deep its parse tree is (a chain of n `+` is about 2n): the embedded database cannot run very deep ones. */
  nesting: number;
}

/**
 * Deeper statements are not sent to the embedded database: its WASM stack overflows before PostgreSQL's own
 * check (core/src/shadow/pglite-worker.ts), which broke the session and then hung it (a view of 4,000 `+`
 * terms, 8,000 deep). With max_stack_depth at 256kB, PostgreSQL already refuses 600 terms cleanly, so this
 * limit (about 1,000 terms) takes nothing away that the embedded database could run.
 */
export const EMBEDDED_MAX_NESTING = 2000;

/** The depth of a parse tree, without recursion (the trees this is for are thousands deep). */
export function treeDepth(root: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[root, 0]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (!node || typeof node !== 'object') continue;
    if (depth > max) max = depth;
    const next = Array.isArray(node) ? depth : depth + 1;
    for (const child of childrenOf(node)) if (child && typeof child === 'object') stack.push([child, next]);
  }
  return max;
}

export interface MigrationFailure {
  /** PostgreSQL's message. */
  message: string;
  /** SQLSTATE. */
  code?: string;
  detail?: string;
  hint?: string;
  /** The failing statement, UTF-16 offsets into the migration file. */
  statement: { start: number; end: number };
  /** Where PostgreSQL pointed inside that statement (UTF-16 offset into the file), when it did. */
  offset?: number;
}

/** The fields of an error thrown by PGlite or node-postgres that we read. */
export interface PgError { message?: string; code?: string; position?: string | number; detail?: string; hint?: string }

/** Splits `text` into the statements to send, one by one, so PostgreSQL's error positions are relative to a known start. Call `initParser()` first. */
export function planStatements(text: string): PlannedStatement[] {
  const parsed = parseSqlFile(text);
  // psql meta-commands inside a statement's span are not SQL: blank them, keeping offsets.
  const holes = [...parsed.metaCommands, ...parsed.copyData];
  const out: PlannedStatement[] = [];
  for (const s of parsed.statements) {
    if (s.status === 'ok' && !s.ast) continue; // a bare ';'
    let sql = text.slice(s.start, s.end);
    for (const h of holes) {
      if (h.end <= s.start || h.start >= s.end) continue;
      const a = Math.max(h.start, s.start) - s.start;
      const b = Math.min(h.end, s.end) - s.start;
      sql = sql.slice(0, a) + sql.slice(a, b).replace(/[^\n]/g, ' ') + sql.slice(b);
    }
    const ast = s.ast;
    const planned: PlannedStatement = {
      start: s.start, end: s.end, text: sql,
      outsideTransaction: !!ast && mustRunOutsideTransaction(ast),
      transactionControl: !!nodeOf(ast, 'TransactionStmt'),
      nesting: ast ? treeDepth(ast) : 0,
    };
    const extension = nodeOf(ast, 'CreateExtensionStmt');
    if (extension) planned.extension = extension.extname;
    const copy = nodeOf(ast, 'CopyStmt');
    if (s.status === 'psql-variables') planned.skip = 'uses psql variables';
    else if (s.status === 'templated') planned.skip = 'is a template ({{ … }})';
    else if (copy?.is_from && !copy.filename) planned.skip = 'is COPY … FROM stdin (its data is not replayed)';
    out.push(planned);
  }
  return out;
}

export function mustRunOutsideTransaction(ast: Node): boolean {
  if (nodeOf(ast, 'IndexStmt')?.concurrent || nodeOf(ast, 'DropStmt')?.concurrent) return true;
  if (isConcurrentReindex(nodeOf(ast, 'ReindexStmt'))) return true;
  if (nodeOf(ast, 'AlterTableStmt')?.cmds?.some((c) => nodeOf(nodeOf(c, 'AlterTableCmd')?.def, 'PartitionCmd')?.concurrent)) return true;
  const outside = ['VacuumStmt', 'CreatedbStmt', 'DropdbStmt', 'AlterSystemStmt', 'CreateTableSpaceStmt'] as const;
  return outside.some((kind) => !!nodeOf(ast, kind));
}

/** The role a "role … does not exist" error names. */
export function missingRole(err: PgError): string | undefined {
  if (err.code !== '42704') return undefined;
  return /^role "(.+)" does not exist$/.exec(err.message ?? '')?.[1];
}

/** Code points → UTF-16 code units from the start of `text` (PostgreSQL counts characters, JavaScript code units). */
export function codePointsToUtf16(text: string, codePoints: number): number {
  let k = 0;
  for (let cp = 0; cp < codePoints && k < text.length; cp++) k += text.codePointAt(k)! > 0xffff ? 2 : 1;
  return k;
}

export function failureOf(err: PgError, stmt: { start: number; end: number; text: string }): MigrationFailure {
  const position = Number(err.position);
  const failure: MigrationFailure = { message: err.message ?? String(err), statement: { start: stmt.start, end: stmt.end } };
  if (err.code) failure.code = err.code;
  if (err.detail) failure.detail = err.detail;
  if (err.hint) failure.hint = err.hint;
  // `position` is 1-based and counts characters (code points) of the statement as sent.
  if (position > 0 && stmt.text) failure.offset = stmt.start + codePointsToUtf16(stmt.text, position - 1);
  return failure;
}

export function firstLine(text: string): string {
  const line = text.trim().split('\n')[0];
  return line.length > 80 ? `${line.slice(0, 77)}…` : line;
}

export function pushOnce(list: string[], line: string): void {
  if (!list.includes(line)) list.push(line);
}
