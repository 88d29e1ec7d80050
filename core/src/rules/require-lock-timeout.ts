import { z } from 'zod';
import { indexesCreatedBefore, isConcurrentReindex, isExistingTable, qualifiedName, stmtOf, tablesCreatedBefore, tableKey, type RangeVar } from '../parse/sql/ast';
import { nodeOf, stringOf } from '../parse/sql/nodes';
import type { Catalog } from '../catalog/model';
import { indexGoneBefore } from '../rule-kit/dropped-indexes';
import type { SqlFile, SqlStatement } from '../parse/sql/parser';
import { insertBeforeStatement } from '../fixes/edits';
import { defineRule } from '../rule-kit/define-rule';

interface LockTaker {
  what: string;
  lock: string;
}

const DROPPED_RELATIONS = new Set(['OBJECT_TABLE', 'OBJECT_VIEW', 'OBJECT_MATVIEW', 'OBJECT_SEQUENCE', 'OBJECT_FOREIGN_TABLE']);
const DROPPED_ON_TABLE = new Set(['OBJECT_TRIGGER', 'OBJECT_POLICY', 'OBJECT_RULE']);

/** The relation-level lock a DDL statement waits for on something that existed before this file, if any. */
function lockTaker(file: SqlFile, stmt: SqlStatement, catalogBefore?: Catalog): LockTaker | undefined {
  const existing = (rel: RangeVar | undefined) => rel !== undefined && isExistingTable(file, stmt, rel);
  const alter = stmtOf(stmt, 'AlterTableStmt');
  if (alter && existing(alter.relation)) return { what: `ALTER TABLE "${qualifiedName(alter.relation)}"`, lock: 'a lock up to ACCESS EXCLUSIVE' };
  const index = stmtOf(stmt, 'IndexStmt');
  if (index && !index.concurrent && existing(index.relation)) return { what: `CREATE INDEX on "${qualifiedName(index.relation)}"`, lock: 'a SHARE lock' };
  const drop = stmtOf(stmt, 'DropStmt');
  if (drop && !drop.concurrent) {
    // A dropped object's name is a list of String nodes.
    const names = (drop.objects ?? []).map((o) => (nodeOf(o, 'List')?.items ?? []).map(stringOf) as string[]);
    const removeType = drop.removeType ?? '';
    const created = tablesCreatedBefore(file, stmt.index);
    const fresh = drop.removeType === 'OBJECT_INDEX' ? indexesCreatedBefore(file, stmt.index) : new Set<string>();
    const gone = (n: string[]) => drop.removeType === 'OBJECT_INDEX' && indexGoneBefore(file, stmt.index, n, catalogBefore);
    const isNew = (n: string[]) => created.has(tableKey({ schemaname: n.length > 1 ? n[n.length - 2] : undefined, relname: n[n.length - 1] })) || fresh.has(n[n.length - 1]) || gone(n);
    const onRelation = DROPPED_RELATIONS.has(removeType) || removeType === 'OBJECT_INDEX' || DROPPED_ON_TABLE.has(removeType);
    if (onRelation && !names.every(isNew)) return { what: `DROP ${removeType.replace('OBJECT_', '').replace('_', ' ')} ${names.map((n) => `"${n.join('.')}"`).join(', ')}`, lock: 'an ACCESS EXCLUSIVE lock' };
  }
  const rename = stmtOf(stmt, 'RenameStmt');
  if (rename?.relation && existing(rename.relation)) return { what: `RENAME on "${qualifiedName(rename.relation)}"`, lock: 'an ACCESS EXCLUSIVE lock' };
  const truncate = stmtOf(stmt, 'TruncateStmt');
  const truncated = (truncate?.relations ?? []).map((r) => nodeOf(r, 'RangeVar')).filter(existing);
  if (truncated.length) return { what: `TRUNCATE ${truncated.map((r) => `"${qualifiedName(r)}"`).join(', ')}`, lock: 'an ACCESS EXCLUSIVE lock' };
  const trigger = stmtOf(stmt, 'CreateTrigStmt');
  if (trigger && existing(trigger.relation)) return { what: `CREATE TRIGGER on "${qualifiedName(trigger.relation)}"`, lock: 'a SHARE ROW EXCLUSIVE lock' };
  const policy = stmtOf(stmt, 'CreatePolicyStmt');
  if (policy && existing(policy.table)) return { what: `CREATE POLICY on "${qualifiedName(policy.table)}"`, lock: 'an ACCESS EXCLUSIVE lock' };
  const reindex = stmtOf(stmt, 'ReindexStmt');
  const concurrently = isConcurrentReindex(reindex);
  if (reindex?.relation && !concurrently && existing(reindex.relation)) return { what: `REINDEX "${qualifiedName(reindex.relation)}"`, lock: 'an ACCESS EXCLUSIVE lock on the index' };
  return undefined;
}

/** Whether the statement sets lock_timeout to a non-zero value (true), clears it (false), or leaves it alone (undefined). */
function setsLockTimeout(stmt: SqlStatement): boolean | undefined {
  const set = stmtOf(stmt, 'VariableSetStmt');
  if (set?.name !== 'lock_timeout') return undefined;
  if (set.kind !== 'VAR_SET_VALUE') return false;
  const value = nodeOf(set.args?.[0], 'A_Const');
  const raw = value?.sval?.sval ?? value?.ival?.ival ?? 0;
  return !/^\s*0+\s*(?:ms|s|min|h|d|us)?\s*$/i.test(String(raw));
}

export const requireLockTimeout = defineRule<{ timeout: string }>({
  id: 'require-lock-timeout',
  meta: {
    description: 'Lock-taking DDL with no SET lock_timeout earlier in the file: waiting for its lock can stall every query on the table.',
    category: 'safety',
    defaultSeverity: 'off',
    fix: 'suggestion',
  },
  options: z.object({
    /** The value the fix sets, in PostgreSQL's interval syntax. */
    timeout: z.string().regex(/^\d+(\.\d+)?\s*(us|ms|s|min|h|d)?$/, 'a PostgreSQL duration such as 5s or 2000ms').default('5s'),
  }).strict(),
  check(ctx) {
    const { file, options, catalogBefore } = ctx;
    let timeoutSet = false;
    for (const stmt of file.statements) {
      timeoutSet = setsLockTimeout(stmt) ?? timeoutSet;
      if (timeoutSet) continue;
      const taker = lockTaker(file, stmt, catalogBefore);
      if (!taker) continue;
      const set = `SET lock_timeout = '${options.timeout}';`;
      ctx.report({
        statement: stmt,
        start: stmt.start,
        end: stmt.end,
        message: `${taker.what} waits for ${taker.lock}, and no lock_timeout is set earlier in this file. If a long-running query or an idle transaction holds the table, this statement waits indefinitely — and every query that arrives after it queues behind it, stalling the application. `
          + `Add ${set} before it so the migration fails fast and can be retried.`,
        fix: { title: `Insert ${set}`, edits: [insertBeforeStatement(file, stmt, set)] },
      });
      return; // once per file: one SET covers every later statement
    }
  },
});
