import { fkObject } from '../rule-kit/object-identity';
import type { Table } from '../catalog/model';
import { namesHoldAt, tableLabel, unindexedForeignKeys } from '../catalog/queries';
import { defaultObjectName, quoteIdent, stmtOf } from '../parse/sql/ast';
import { defineRule } from '../rule-kit/define-rule';
import type { CatalogRuleContext, Fix } from '../rule-kit/types';
import { insertAfterStatement, insertedStatementRunsOutsideTransaction, statementStartingAt, tableReference } from '../fixes/edits';
import { newMigrationFix } from '../fixes/new-migration';
import { fieldNamesOf, insertBlockAttribute, prismaModelAt } from '../fixes/prisma-edits';

/** `@@index([fields])` on the model, with the Prisma field names of the FK's columns. */
function prismaIndexFix(ctx: CatalogRuleContext<unknown>, table: Table, columns: string[]): Fix | undefined {
  const at = prismaModelAt(ctx.prisma, table.origin);
  const fields = at && fieldNamesOf(at.table, columns);
  const edit = at && fields && insertBlockAttribute(at.file, at.block, `index([${fields.join(', ')}])`);
  return edit ? { title: `Add @@index([${fields!.join(', ')}]) to ${at!.block.name.name}`, edits: [edit] } : undefined;
}

/**
 * `<table>_<cols>_idx`, numbered like PostgreSQL does when a relation of that name exists in the schema.
 * `takenIn` gives the names taken in a schema, collected once per run: collecting them per foreign key made
 * 8,000 referencing tables take seconds.
 */
function freeIndexName(taken: ReadonlySet<string>, table: Table, columns: string[]): string {
  const base = defaultObjectName(table.name, columns, 'idx');
  let name = base;
  for (let k = 1; taken.has(name); k++) name = defaultObjectName(table.name, columns, `idx${k}`);
  return name;
}

/** Relation names per schema (tables, indexes, views, sequences) plus the index names of the whole history. */
function takenNames(ctx: CatalogRuleContext<unknown>, historyNames: ReadonlySet<string>): (schemaName: string) => ReadonlySet<string> {
  const bySchema = new Map<string, Set<string>>();
  return (schemaName) => {
    let taken = bySchema.get(schemaName);
    if (taken) return taken;
    taken = new Set<string>(historyNames);
    const schema = ctx.catalog.schemas.get(schemaName);
    for (const t of schema?.tables.values() ?? []) {
      taken.add(t.name);
      for (const i of t.indexes) taken.add(i.name);
    }
    for (const name of [...(schema?.views.keys() ?? []), ...(schema?.sequences.keys() ?? [])]) taken.add(name);
    bySchema.set(schemaName, taken);
    return taken;
  };
}

/** Index names used anywhere in the history: an index dropped later may still exist where the fix inserts. */
function indexNamesInHistory(ctx: CatalogRuleContext<unknown>): Set<string> {
  const names = new Set<string>();
  for (const file of ctx.files.values()) {
    for (const s of file.parsed.statements) {
      const name = stmtOf(s, 'IndexStmt')?.idxname;
      if (name) names.add(name);
    }
  }
  return names;
}

export const unindexedForeignKey = defineRule({
  id: 'unindexed-foreign-key',
  meta: {
    description: 'A foreign key whose columns do not lead any index of the referencing table: every delete or key update on the referenced table scans it.',
    category: 'schema',
    defaultSeverity: 'warning',
    fix: 'suggestion',
  },
  checkCatalog(ctx) {
    const found = unindexedForeignKeys(ctx.catalog);
    const takenIn = takenNames(ctx, found.length ? indexNamesInHistory(ctx) : new Set<string>());
    const hold = namesHoldAt(ctx.files, found.map(({ table, fk }) => ({ file: fk.origin.file, start: fk.origin.start, schema: table.schema, table: table.name, columns: fk.columns })));
    found.forEach(({ table, fk }, i) => {
      const referenced = tableLabel(fk.references);
      const self = tableLabel(table);
      const cols = fk.columns.join(', ');
      const cascade = fk.onDelete === 'cascade' ? ` (ON DELETE CASCADE then deletes through that same scan)` : '';
      const message =
        `Foreign key "${fk.name}" on "${self}" (${cols}) has no index starting with ${fk.columns.length === 1 ? 'that column' : 'those columns'}: `
        + `deleting a row of "${referenced}" (or changing its key) scans all of "${self}" to check ${fk.name}${cascade}, and joins from "${referenced}" to "${self}" cannot use an index. `
        + `Add an index on ${self} (${cols}).`;

      if (fk.origin.file.endsWith('.prisma')) {
        ctx.report({ origin: fk.origin, object: fkObject(table, fk), message, fix: prismaIndexFix(ctx, table, fk.columns) });
        return;
      }
      const name = freeIndexName(takenIn(table.schema), table, fk.columns);
      const colList = fk.columns.map(quoteIdent).join(', ');
      const indexRef = table.schema === 'public' ? quoteIdent(name) : `${quoteIdent(table.schema)}.${quoteIdent(name)}`;
      const create = (concurrently: boolean) => `CREATE INDEX${concurrently ? ' CONCURRENTLY' : ''} ${quoteIdent(name)} ON ${tableReference(table)} (${colList});`;

      const file = ctx.files.get(fk.origin.file);
      const stmt = file && statementStartingAt(file.parsed, fk.origin.start);
      let fix: Fix | undefined;
      // In place only where the result is clean: a table created in this same file takes a plain CREATE INDEX;
      // an existing one needs CONCURRENTLY, which only runs outside a transaction (else: a new migration).
      const createdHere = table.origin.file === fk.origin.file;
      if (file && stmt && hold[i] && (createdHere || insertedStatementRunsOutsideTransaction(file, stmt))) {
        fix = { title: `Create index ${name} on ${self} (${cols}) after this statement`, edits: [insertAfterStatement(file.parsed, stmt, create(!createdHere))] };
      }
      const later = file && newMigrationFix(ctx.files, fk.origin.file, {
        name: `add_${name}`,
        up: (c) => [create(c)],
        down: (c) => [`DROP INDEX${c ? ' CONCURRENTLY' : ''} ${indexRef};`],
        wantsConcurrently: true,
        title: (m) => `Create index ${name} in a new migration (${m.label})`,
      });
      ctx.report({ origin: fk.origin, object: fkObject(table, fk), message, fix: fix ?? later, otherFixes: fix && later ? [later] : undefined });
    });
  },
});
