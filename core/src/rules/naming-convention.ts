import { z } from 'zod';
import { applicationTables, tableLabel } from '../catalog/queries';
import type { Origin, Schema, Table } from '../catalog/model';
import { defaultObjectName, quoteIdent } from '../parse/sql/ast';
import { isPrismaJoinTable } from '../rule-kit/audit';
import { columnObject, tableObject } from '../rule-kit/object-identity';
import { defineRule } from '../rule-kit/define-rule';
import type { ObjectIdentity } from '../rule-kit/types';
import { objectReference, tableReference } from '../fixes/edits';
import { reportPlanned, type PlannedReport } from '../fixes/new-migration';

const pattern = z.string().min(1).optional();

const options = z.object({
  /** `postgres`: the names PostgreSQL generates for unnamed keys and indexes; `prisma`: Prisma Migrate's default names. */
  preset: z.enum(['postgres', 'prisma']).optional(),
  tables: pattern,
  columns: pattern,
  /** Patterns for these may use `{table}` and `{columns}` (the key columns joined by `_`); they win over the preset. */
  indexes: pattern,
  primaryKey: pattern,
  foreignKey: pattern,
  unique: pattern,
  check: pattern,
}).strict();

type Options = z.infer<typeof options>;
type Kind = 'indexes' | 'primaryKey' | 'foreignKey' | 'unique';

const LABELS: Record<Kind, string> = { indexes: 'idx', primaryKey: 'pkey', foreignKey: 'fkey', unique: 'key' };
const KIND_WORDS: Record<Kind | 'check', string> = { indexes: 'Index', primaryKey: 'Primary key', foreignKey: 'Foreign key', unique: 'Unique constraint', check: 'Check constraint' };
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The name a preset expects, or undefined when it cannot tell: names near 63 bytes (PostgreSQL clips them its way,
 * Prisma its own), and a unique index, which PostgreSQL names `_idx` but Prisma `_key`.
 */
function presetName(preset: 'postgres' | 'prisma', table: string, columns: string[], kind: Kind): string | undefined {
  const name = kind === 'primaryKey' ? `${table}_pkey` : `${table}_${columns.join('_')}_${LABELS[kind]}`;
  if (Buffer.byteLength(name, 'utf8') > 60) return undefined;
  return preset === 'postgres' ? defaultObjectName(table, kind === 'primaryKey' ? [] : columns, LABELS[kind]) : name;
}

function matches(name: string, source: string, table: string, columns: string[]): boolean {
  const re = source.replace(/\{table\}/g, escape(table)).replace(/\{columns\}/g, escape(columns.join('_')));
  return new RegExp(re).test(name);
}

/** Whether the name is free in the schema for an index (relations) or a constraint (per table, and index-backed ones as relations). */
function nameFree(schema: Schema | undefined, name: string): boolean {
  if (!schema) return false;
  if (schema.tables.has(name) || schema.views.has(name) || schema.sequences.has(name)) return false;
  for (const t of schema.tables.values()) {
    if (t.indexes.some((i) => i.name === name) || t.foreignKeys.some((f) => f.name === name) || t.checks.some((c) => c.name === name)) return false;
  }
  return true;
}

export const namingConvention = defineRule<Options>({
  id: 'naming-convention',
  meta: {
    description: 'A table, column, index or constraint whose name does not follow the naming convention configured in pgvet.json.',
    category: 'schema',
    defaultSeverity: 'off',
    fix: 'suggestion',
  },
  options,
  checkCatalog(ctx) {
    const o = ctx.options;
    const reports: PlannedReport[] = [];
    const sqlHistory = (t: Table) => !t.origin.file.endsWith('.prisma');
    const check = (table: Table, kind: Kind, name: string, columns: string[], origin: Origin, object: ObjectIdentity, rename: (to: string) => { up: string; down: string }, presetKnows = true) => {
      const configured = o[kind];
      const expected = !configured && o.preset && presetKnows ? presetName(o.preset, table.name, columns, kind) : undefined;
      if (configured ? matches(name, configured, table.name, columns) : !expected || name === expected || new RegExp(`^${escape(expected)}\\d+$`).test(name)) return;
      const what = configured ? `the pattern ${configured}` : `the ${o.preset} preset ("${expected}")`;
      const fix = expected && sqlHistory(table) && nameFree(ctx.catalog.schemas.get(table.schema), expected) ? rename(expected) : undefined;
      reports.push({
        origin, object,
        message: `${KIND_WORDS[kind]} "${name}" on "${tableLabel(table)}" does not follow ${what} (naming-convention in pgvet.json).`,
        plan: fix && { after: origin, names: [{ schema: table.schema, table: table.name }], up: [fix.up], down: [fix.down], title: `Rename ${name} to ${expected}`, slug: `rename_${name}` },
      });
    };
    for (const table of applicationTables(ctx.catalog, ctx.project.schemas)) {
      // Prisma names its implicit many-to-many tables its own way (`_AB_unique`, `_B_index`, `_AB_pkey` by version).
      if (isPrismaJoinTable(table)) continue;
      if (o.tables && !new RegExp(o.tables).test(table.name)) {
        reports.push({ origin: table.origin, object: tableObject(table, 'name'), message: `Table "${tableLabel(table)}" does not follow the pattern ${o.tables} (naming-convention in pgvet.json).` });
      }
      if (o.columns) {
        for (const c of table.columns) {
          if (!new RegExp(o.columns).test(c.name)) reports.push({ origin: c.origin, object: columnObject(table, c, 'name'), message: `Column "${c.name}" of "${tableLabel(table)}" does not follow the pattern ${o.columns} (naming-convention in pgvet.json).` });
        }
      }
      const renameConstraint = (from: string) => (to: string) => ({
        up: `ALTER TABLE ${tableReference(table)} RENAME CONSTRAINT ${quoteIdent(from)} TO ${quoteIdent(to)};`,
        down: `ALTER TABLE ${tableReference(table)} RENAME CONSTRAINT ${quoteIdent(to)} TO ${quoteIdent(from)};`,
      });
      const constraintObject = (name: string, aspect: string): ObjectIdentity => ({ kind: 'constraint', schema: table.schema, table: table.name, name, aspect });
      if (table.primaryKey) check(table, 'primaryKey', table.primaryKey.name, table.primaryKey.columns, table.primaryKey.origin, constraintObject(table.primaryKey.name, 'name'), renameConstraint(table.primaryKey.name));
      for (const u of table.uniqueConstraints) check(table, 'unique', u.name, u.columns, u.origin, constraintObject(u.name, 'name'), renameConstraint(u.name));
      for (const fk of table.foreignKeys) check(table, 'foreignKey', fk.name, fk.columns, fk.origin, constraintObject(fk.name, 'name'), renameConstraint(fk.name));
      for (const c of table.checks) {
        if (o.check && !new RegExp(o.check.replace(/\{table\}/g, escape(table.name)).replace(/\{columns\}/g, '.*')).test(c.name)) {
          reports.push({ origin: c.origin, object: constraintObject(c.name, 'name'), message: `${KIND_WORDS.check} "${c.name}" on "${tableLabel(table)}" does not follow the pattern ${o.check} (naming-convention in pgvet.json).` });
        }
      }
      for (const i of table.indexes) {
        // Those behind constraints are checked as the constraints.
        if (i.backs || i.attachedTo) continue;
        const columns = i.keys.map((k) => k.column);
        // Expression and INCLUDE indexes get names no preset can tell, and partial indexes on the same columns need names
        // that tell them apart (a preset would give `_idx`, `_idx1`): only a configured pattern checks them.
        const plain = columns.every((c) => c !== undefined) && i.include.length === 0 && i.predicate === undefined;
        // A unique index: Prisma names it `_key`; PostgreSQL names an unnamed CREATE UNIQUE INDEX `_idx` like any other.
        const kind: Kind = i.unique && o.preset === 'prisma' ? 'unique' : 'indexes';
        check(table, kind, i.name, columns.filter((c): c is string => c !== undefined), i.origin, { kind: 'index', schema: table.schema, table: table.name, name: i.name, aspect: 'name' }, (to) => ({
          up: `ALTER INDEX ${objectReference(table.schema, i.name)} RENAME TO ${quoteIdent(to)};`,
          down: `ALTER INDEX ${objectReference(table.schema, to)} RENAME TO ${quoteIdent(i.name)};`,
        }), plain);
      }
    }
    reportPlanned(ctx, reports);
  },
});
