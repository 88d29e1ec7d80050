import { allTables, type Index, type Table } from '../catalog/model';
import { originOrder, tableLabel } from '../catalog/queries';
import { quoteIdent } from '../parse/sql/ast';
import { indexObject } from '../rule-kit/object-identity';
import { defineRule } from '../rule-kit/define-rule';
import type { Fix } from '../rule-kit/types';
import { createIndexSql, insertAfterStatement, insertedStatementRunsOutsideTransaction, statementStartingAt, tableReference } from '../fixes/edits';
import { newMigrationFix } from '../fixes/new-migration';

/** Expression and predicate text compared without case and spacing differences. */
function normal(text: string | undefined): string {
  let t = (text ?? '').toLowerCase().replace(/\s+/g, ' ').replace(/\s*([(),=<>:+*/-])\s*/g, '$1').trim();
  while (t.startsWith('(') && t.endsWith(')') && closingParen(t) === t.length - 1) t = t.slice(1, -1).trim();
  return t;
}

/** Index of the parenthesis that closes the one at 0. */
function closingParen(t: string): number {
  let depth = 0;
  for (let k = 0; k < t.length; k++) {
    if (t[k] === '(') depth++;
    else if (t[k] === ')' && --depth === 0) return k;
  }
  return -1;
}

/**
 * What a key stores: column or expression, collation, operator class and, for btree, the sort with NULLS resolved to
 * its default (ASC: last, DESC: first). A btree scans both ways, so a key list that starts DESC is compared reversed:
 * `(a DESC, b DESC)` serves what `(a, b)` serves, `(a DESC NULLS LAST, b DESC)` does not.
 */
function keySignatures(i: Index): string[] {
  const ordered = i.method === 'btree';
  const flip = ordered && i.keys[0]?.descending === true;
  return i.keys.map((k) => {
    const what = k.column !== undefined ? `c:${k.column}` : `e:${normal(k.expression)}`;
    const desc = !!k.descending;
    const nullsFirst = k.nulls ? k.nulls === 'first' : desc;
    const sort = ordered ? `${desc !== flip ? 'desc' : 'asc'} nulls ${nullsFirst !== flip ? 'first' : 'last'}` : '';
    return [what, k.collation ?? '', k.opclass ?? '', sort].join(' ');
  });
}

/** Equal for two indexes that store and order the same keys (the rule reports the later of two equal ones). */
export function indexSignature(i: Index): string {
  return [i.method, i.unique ? 'unique' : '', keySignatures(i).join(','), [...i.include].sort().join(','), normal(i.predicate)].join('|');
}

function keyText(k: Index['keys'][number]): string {
  const nulls = k.nulls && (k.nulls === 'first') !== !!k.descending ? ` NULLS ${k.nulls.toUpperCase()}` : '';
  return `${k.column ?? k.expression ?? '?'}${k.collation ? ` COLLATE ${k.collation}` : ''}${k.opclass ? ` ${k.opclass}` : ''}${k.descending ? ' DESC' : ''}${nulls}`;
}

/** `both btree (a)`, or each one's keys when they are written in opposite directions. */
function sameText(dup: Index, kept: Index): string {
  const [d, k] = [describe(dup), describe(kept)];
  return d === k ? `both ${d}` : `${d}, the same as ${k} read backwards`;
}

function describe(i: Index): string {
  const keys = i.keys.map(keyText).join(', ');
  return `${i.unique ? 'unique ' : ''}${i.method} (${keys})${i.include.length ? ` INCLUDE (${i.include.join(', ')})` : ''}${i.predicate ? ` WHERE ${i.predicate}` : ''}`;
}

/** How to remove an index: DROP INDEX, or DROP CONSTRAINT for the index behind a constraint. */
function dropStatement(table: Table, i: Index, concurrently: boolean): string {
  if (i.backs) return `ALTER TABLE ${tableReference(table)} DROP CONSTRAINT ${quoteIdent(i.name)};`;
  const ref = table.schema === 'public' ? quoteIdent(i.name) : `${quoteIdent(table.schema)}.${quoteIdent(i.name)}`;
  return `DROP INDEX${concurrently ? ' CONCURRENTLY' : ''} ${ref};`;
}

/** What the new migration's down runs: the index again (or its constraint, by columns), as the catalog knows it. */
function recreateStatement(table: Table, i: Index, concurrently: boolean): string {
  const columns = i.keys.every((k) => k.column !== undefined) ? i.keys.map((k) => quoteIdent(k.column!)).join(', ') : undefined;
  if (i.backs === 'exclusion' || (i.backs && !columns)) return `-- recreate ${i.name} as it was: ${describe(i)}`;
  if (i.backs) return `ALTER TABLE ${tableReference(table)} ADD CONSTRAINT ${quoteIdent(i.name)} ${i.backs === 'primary' ? 'PRIMARY KEY' : 'UNIQUE'} (${columns});`;
  const sql = createIndexSql(table, i);
  return concurrently ? sql.replace(/^CREATE (UNIQUE )?INDEX /, (m) => `${m}CONCURRENTLY `) : sql;
}

export const duplicateIndex = defineRule({
  id: 'duplicate-index',
  meta: {
    description: 'Two indexes with the same table, key columns, method, predicate and uniqueness: every write maintains both, queries use one.',
    category: 'schema',
    defaultSeverity: 'warning',
    fix: 'suggestion',
  },
  checkCatalog(ctx) {
    const order = originOrder(ctx.files);
    for (const table of allTables(ctx.catalog)) {
      if (table.partitionOf) continue;
      const groups = new Map<string, Index[]>();
      for (const i of table.indexes) {
        const key = indexSignature(i);
        const group = groups.get(key);
        if (group) group.push(i); // not a copy per index: one table may have thousands of duplicates
        else groups.set(key, [i]);
      }
      for (const group of groups.values()) {
        if (group.length < 2) continue;
        // Keep the one behind a constraint (dropping it means dropping the constraint), else the oldest.
        const sorted = [...group].sort((a, b) => Number(!!b.backs) - Number(!!a.backs) || order(a.origin) - order(b.origin));
        const kept = sorted[0];
        for (const dup of sorted.slice(1)) {
          const name = tableLabel(table);
          const message = `Index "${dup.name}" on "${name}" duplicates "${kept.name}" (${sameText(dup, kept)}): every insert and update maintains both and the planner uses one. `
            + `Drop "${dup.name}"${dup.backs ? ` (it backs a constraint: drop the constraint)` : ''} in a new migration.`;
          const later = newMigrationFix(ctx.files, dup.origin.file, {
            name: `drop_${dup.name}`,
            up: (c) => [dropStatement(table, dup, c)],
            down: (c) => [recreateStatement(table, dup, c)],
            wantsConcurrently: true,
            title: (m) => `Drop ${dup.name} in a new migration (${m.label})`,
          });
          const file = ctx.files.get(dup.origin.file);
          const stmt = file && statementStartingAt(file.parsed, dup.origin.start);
          let here: Fix | undefined;
          if (file && stmt) {
            // Not in a one-query-string file (Prisma, golang-migrate): the inserted DROP makes it one implicit transaction.
            const concurrently = insertedStatementRunsOutsideTransaction(file, stmt);
            here = { title: `Drop ${dup.name} after this statement`, edits: [insertAfterStatement(file.parsed, stmt, dropStatement(table, dup, concurrently))] };
          }
          ctx.report({ origin: dup.origin, object: indexObject(table, dup), message, fix: later ?? here, otherFixes: later && here ? [here] : undefined });
        }
      }
    }
  },
});
