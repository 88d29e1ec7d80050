import type { Column, ForeignKey, Table } from '../catalog/model';
import { tableLabel } from '../catalog/queries';
import { declaredColumns, quoteIdent } from '../parse/sql/ast';
import { defineRule } from '../rule-kit/define-rule';
import { baseType, fkTypeRelation, isNarrower, type FkTypeRelation } from '../rule-kit/fk-types';
import { fkObject } from '../rule-kit/object-identity';
import type { CatalogRuleContext, Fix } from '../rule-kit/types';
import { replaceTypeEdit, statementStartingAt } from '../fixes/edits';

const MAX: Record<string, string> = { smallint: '32767', integer: '2147483647' };

interface Mismatch {
  column: Column;
  referenced: Column;
  relation: FkTypeRelation;
}

/** The pairs worth a finding: rejected, compared through a cast, or a cross-type pair that loses values or depends on the TimeZone. */
function mismatches(table: Table, fk: ForeignKey, target: Table): Mismatch[] {
  const out: Mismatch[] = [];
  fk.columns.forEach((name, i) => {
    const column = table.columns.find((c) => c.name === name);
    const referenced = target.columns.find((c) => c.name === fk.referencedColumns[i]);
    if (!column || !referenced || column.typeUnknown || referenced.typeUnknown) return;
    const relation = fkTypeRelation(column.type, referenced.type);
    if (relation === 'same' || relation === 'unknown') return;
    if (relation === 'cross-type') {
      const datetime = /^(date|timestamp)/.test(baseType(column.type));
      if (!datetime && !isNarrower(column.type, referenced.type)) return; // a wider integer column holds every key
    }
    out.push({ column, referenced, relation });
  });
  return out;
}

function describe(self: string, target: string, m: Mismatch): string {
  const a = baseType(m.column.type);
  const b = baseType(m.referenced.type);
  const pair = `"${self}"."${m.column.name}" is ${m.column.type} but references "${target}"."${m.referenced.name}", ${m.referenced.type}`;
  switch (m.relation) {
    case 'rejected':
      return `${pair}: PostgreSQL has no equality operator between ${a} and ${b} and rejects the constraint ("foreign key constraint … cannot be implemented"), so this migration will fail.`;
    case 'cast':
      return `${pair}: PostgreSQL checks the key by casting "${m.column.name}" to ${b} and comparing with ${b}'s own = operator, which an index on "${m.column.name}" cannot serve, so every delete or key change on "${target}" scans "${self}".`;
    default:
      if (MAX[a]) return `${pair}: once "${target}"."${m.referenced.name}" passes ${MAX[a]}, the ${a} maximum, rows referencing the new keys cannot be stored (${a} out of range).`;
      if (a === 'real') return `${pair}: real keeps about 6 significant digits, so most ${b} keys cannot be referenced exactly.`;
      if (/time zone/.test(a) && /time zone/.test(b)) return `${pair}: PostgreSQL compares them by converting in the session TimeZone, so whether a row matches its key depends on the TimeZone setting of whoever writes it.`;
      return `${pair}: PostgreSQL compares them across types, so only keys that are exactly representable as ${a} can be referenced (a date matches only a timestamp at midnight).`;
  }
}

/**
 * The fix: the referencing column gets the referenced type where this file declares it (CREATE TABLE or ADD COLUMN,
 * not changed since), so nothing is rewritten. A column from an earlier migration would need ALTER COLUMN … TYPE,
 * which rewrites the table (changing-column-type): that is left to the user, the message says so.
 */
function typeFix(ctx: CatalogRuleContext<unknown>, fk: ForeignKey, list: Mismatch[]): Fix | undefined {
  const file = ctx.files.get(fk.origin.file);
  if (!file || list.some((m) => m.column.origin.file !== fk.origin.file || m.column.default?.startsWith('nextval('))) return undefined;
  const edits = [];
  for (const m of list) {
    const stmt = statementStartingAt(file.parsed, m.column.origin.start);
    const declared = stmt && declaredColumns(file.parsed).find((d) => d.stmt === stmt && d.column === m.column.name && d.how !== 'alter-type');
    const edit = declared && !(declared.typeName.arrayBounds ?? []).length ? replaceTypeEdit(file.parsed, stmt, declared.typeName, m.referenced.type) : undefined;
    if (!edit) return undefined;
    edits.push(edit);
  }
  const names = list.map((m) => `"${m.column.name}"`).join(', ');
  return { title: `Declare ${names} as ${[...new Set(list.map((m) => m.referenced.type))].join(', ')}, the type of the referenced ${list.length === 1 ? 'column' : 'columns'}`, edits };
}

export const foreignKeyTypeMismatch = defineRule({
  id: 'foreign-key-type-mismatch',
  meta: {
    description: 'A foreign key column whose type differs from the referenced column: rejected by PostgreSQL, compared through a cast no index serves, or too narrow for the keys it must hold.',
    category: 'schema',
    defaultSeverity: 'warning',
    fix: 'suggestion',
  },
  checkCatalog(ctx) {
    for (const schema of ctx.catalog.schemas.values()) {
      for (const table of schema.tables.values()) {
        // Inherited copies: the parent's foreign key is reported once, on the parent.
        if (table.partitionOf) continue;
        for (const fk of table.foreignKeys) {
          // Prisma refuses relation fields of different types itself.
          if (fk.origin.file.endsWith('.prisma')) continue;
          const target = ctx.catalog.schemas.get(fk.references.schema)?.tables.get(fk.references.name);
          const list = target ? mismatches(table, fk, target) : [];
          if (list.length === 0) continue;
          const self = tableLabel(table);
          const other = tableLabel(target!);
          const fix = typeFix(ctx, fk, list);
          const alter = list.map((m) => `ALTER COLUMN ${quoteIdent(m.column.name)} TYPE ${m.referenced.type}`).join(', ');
          ctx.report({
            origin: fk.origin,
            object: fkObject(table, fk),
            message: `Foreign key "${fk.name}": ${list.map((m) => describe(self, other, m)).join(' ')} Give the referencing column the referenced column's type.`
              + (fix ? '' : ` For a column that already holds rows that is ALTER TABLE ${quoteIdent(table.name)} ${alter}, which rewrites the table under an ACCESS EXCLUSIVE lock (see changing-column-type): plan it, or add a new column and backfill it.`),
            fix,
          });
        }
      }
    }
  },
});
