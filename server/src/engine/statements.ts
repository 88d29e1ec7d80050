import type { Node } from '@pgsql/types';
import type { SqlFile, SqlStatement } from '../parse/sql/parser';

/** The inner object of a statement node of the given type, e.g. `stmtOf(s, 'IndexStmt')`. */
export function stmtOf<K extends string>(stmt: SqlStatement, type: K): Record<string, any> | undefined {
  const ast = stmt.ast as Record<string, any> | undefined;
  return ast?.[type];
}

export function stmtType(stmt: SqlStatement): string | undefined {
  return stmt.ast ? Object.keys(stmt.ast)[0] : undefined;
}

export interface RangeVar {
  schemaname?: string;
  relname: string;
  location?: number;
}

/** `schema.table` or `table`, lower-cased the way PostgreSQL folds unquoted names (the AST has folded them already). */
export function qualifiedName(rel: RangeVar | undefined): string {
  if (!rel) return '';
  return rel.schemaname ? `${rel.schemaname}.${rel.relname}` : rel.relname;
}

/** Strips a `public.` schema so `public.t` and `t` compare equal. */
export function tableKey(rel: RangeVar | undefined): string {
  if (!rel) return '';
  return !rel.schemaname || rel.schemaname === 'public' ? rel.relname : `${rel.schemaname}.${rel.relname}`;
}

/** The names of the tables created by statements before `index` in this file. */
export function tablesCreatedBefore(file: SqlFile, index: number): Set<string> {
  const out = new Set<string>();
  for (const s of file.statements) {
    if (s.index >= index) break;
    const create = stmtOf(s, 'CreateStmt') ?? stmtOf(s, 'CreateTableAsStmt')?.into;
    if (create?.relation) out.add(tableKey(create.relation));
    const rename = stmtOf(s, 'RenameStmt');
    if (rename?.renameType === 'OBJECT_TABLE' && rename.relation && out.has(tableKey(rename.relation))) {
      out.add(rename.relation.schemaname ? `${rename.relation.schemaname}.${rename.newname}` : rename.newname);
    }
  }
  return out;
}

/** Whether `rel` names a table that existed before this file ran (not created earlier in the same file). */
export function isExistingTable(file: SqlFile, stmt: SqlStatement, rel: RangeVar | undefined): boolean {
  if (!rel) return false;
  return !tablesCreatedBefore(file, stmt.index).has(tableKey(rel));
}

/** Statements between an explicit BEGIN/START TRANSACTION and COMMIT/ROLLBACK in the file. */
export function explicitTransactionStatements(file: SqlFile): Set<number> {
  const inside = new Set<number>();
  let open = false;
  for (const s of file.statements) {
    const tx = stmtOf(s, 'TransactionStmt');
    if (tx) {
      if (tx.kind === 'TRANS_STMT_BEGIN' || tx.kind === 'TRANS_STMT_START') open = true;
      else if (['TRANS_STMT_COMMIT', 'TRANS_STMT_ROLLBACK', 'TRANS_STMT_PREPARE', 'TRANS_STMT_COMMIT_PREPARED', 'TRANS_STMT_ROLLBACK_PREPARED'].includes(tx.kind)) open = false;
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
