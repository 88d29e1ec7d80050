import { z } from 'zod';
import { tableObject } from '../rule-kit/object-identity';
import type { Table } from '../catalog/model';
import { applicationTables, BOOKKEEPING_COLUMNS, nameWords, normalisedName, singular, tableLabel } from '../catalog/queries';
import { defineRule } from '../rule-kit/define-rule';

/** Tables that are copies of another by design (archives, history, analytics twins) share columns on purpose. */
const COPY_WORDS = /^(archive|archived|history|histories|audit|audits|log|logs|backup|old|snapshot|snapshots|olap|copy|tmp|temp|staging|version|versions|v\d+)$/;

/** Entities that tables commonly embed as loose columns, by the words of their column names. */
const ENTITIES: { table: string; words: ReadonlySet<string> }[] = [
  { table: 'addresses', words: new Set(['street', 'street1', 'street2', 'address', 'address1', 'address2', 'address_line1', 'address_line2', 'line1', 'line2', 'city', 'region', 'province', 'zip', 'zipcode', 'zip_code', 'postcode', 'postal_code', 'country', 'country_code']) },
  { table: 'contacts', words: new Set(['first_name', 'last_name', 'surname', 'given_name', 'family_name', 'phone', 'phone_number', 'email', 'mobile', 'fax']) },
  { table: 'locations', words: new Set(['latitude', 'longitude', 'lat', 'lng', 'lon', 'altitude', 'timezone']) },
];

/**
 * The non-key columns of a table that could belong to an embedded entity, as `name:type`: no keys, no
 * bookkeeping, no flags, timestamps or counters (every table has those, and sharing them says nothing).
 */
function candidates(table: Table): Set<string> {
  const keys = new Set([...(table.primaryKey?.columns ?? []), ...table.foreignKeys.flatMap((fk) => fk.columns)]);
  return new Set(table.columns.filter((c) => {
    const n = normalisedName(c.name);
    // Activity counters (`comment_count_week`) count different things in each table, even under one name.
    return !c.typeUnknown && !keys.has(c.name) && !BOOKKEEPING_COLUMNS.has(n) && !/(^|_)(ids?|at|on)$|(^|_)counts?(_|$)/.test(n) && !/^(boolean|date|timestamp|time)/.test(c.type);
  }).map((c) => `${normalisedName(c.name)}:${c.type}`));
}

/** The word stems of a table name, or undefined for a copy table (`_archive`, `_history`, `v1_` …). */
function nameStems(table: Table): Set<string> | undefined {
  const words = nameWords(table.name);
  if (words.some((w) => COPY_WORDS.test(w))) return undefined;
  return new Set(words.map((w) => w.replace(/(ies|es|s)$/, '')));
}

interface Subset {
  columns: string[];
  /** The table the columns belong in. */
  target: string;
  /** Set when the columns copy those of this existing table. */
  copies?: Table;
}

/** The tables of the catalog by their name as a singular word (`customers`, `Customer` → `customer`), with their columns' normalised names. */
function entityTables(tables: Table[]): Map<string, { table: Table; columns: Set<string> }> {
  return new Map(tables.map((t) => [singular(normalisedName(t.name)), { table: t, columns: new Set(t.columns.map((c) => normalisedName(c.name))) }]));
}

/**
 * The parts of a shared column list that describe one thing: copies of another table's columns under its name
 * (`customer_name`, `customer_email`, `customer_phone` beside a `customers` table with `name`, `email`, `phone`),
 * or the columns of a known entity (an address). A common first word alone is not enough: `bitbucket_branch` or
 * `database_password` in two tables are two settings of two rows, not one fact kept twice.
 */
function cohesiveSubsets(common: string[], min: number, entities: ReturnType<typeof entityTables>): Subset[] {
  const out: Subset[] = [];
  const byPrefix = new Map<string, string[]>();
  for (const c of common) {
    const words = c.split(':')[0].split('_');
    if (words.length > 1) byPrefix.set(words[0], [...(byPrefix.get(words[0]) ?? []), c]);
  }
  for (const [prefix, columns] of byPrefix) {
    const entity = entities.get(singular(prefix));
    const copied = entity ? columns.filter((c) => entity.columns.has(c.split(':')[0].slice(prefix.length + 1))) : [];
    if (copied.length >= min) out.push({ columns: copied, target: entity!.table.name, copies: entity!.table });
  }
  for (const e of ENTITIES) {
    const columns = common.filter((c) => e.words.has(c.split(':')[0]));
    if (columns.length >= min && !out.some((o) => columns.every((c) => o.columns.includes(c)))) out.push({ columns, target: e.table });
  }
  return out;
}

interface Shared extends Subset {
  tables: Set<Table>;
}

export const duplicatedColumnSet = defineRule<{ minColumns: number }>({
  id: 'duplicated-column-set',
  meta: {
    description: 'The same set of three or more non-key columns (name and type) in several tables, e.g. street, city, postcode: one entity stored in many places.',
    category: 'normalisation',
    defaultSeverity: 'hint',
    fix: 'none',
  },
  options: z.object({ minColumns: z.number().int().min(2).default(3) }).strict(),
  checkCatalog(ctx) {
    const min = ctx.options.minColumns;
    // Copy tables and tables with too few candidate columns cannot take part: leave them out before pairing.
    const all = applicationTables(ctx.catalog);
    const entities = entityTables(all);
    const tables = all.filter((t) => !t.columnsUnknown).map((t) => ({ t, stems: nameStems(t), columns: candidates(t) }))
      .filter((x): x is { t: Table; stems: Set<string>; columns: Set<string> } => x.stems !== undefined && x.columns.size >= min);
    const shared = new Map<string, Shared>();
    for (let i = 0; i < tables.length; i++) {
      for (let j = i + 1; j < tables.length; j++) {
        const { t: a, stems: sa, columns: ca } = tables[i];
        const { t: b, stems: sb, columns: cb } = tables[j];
        // Tables whose names share a word (`orders` / `order_items`) are usually parts of one design.
        if ([...sa].some((w) => sb.has(w))) continue;
        const common = [...ca].filter((c) => cb.has(c)).sort();
        if (common.length < min) continue;
        for (const subset of cohesiveSubsets(common, min, entities)) {
          const key = subset.columns.join(',');
          const entry = shared.get(key) ?? { ...subset, tables: new Set<Table>() };
          entry.tables.add(a).add(b);
          shared.set(key, entry);
        }
      }
    }
    // Each table once, for the largest set it shares.
    const best = new Map<Table, Shared>();
    for (const entry of shared.values()) {
      for (const t of entry.tables) if ((best.get(t)?.columns.length ?? 0) < entry.columns.length) best.set(t, entry);
    }
    for (const [table, entry] of best) {
      const names = entry.columns.map((c) => table.columns.find((x) => `${normalisedName(x.name)}:${x.type}` === c)?.name ?? c.split(':')[0]);
      const others = [...entry.tables].filter((t) => t !== table).map((t) => `"${tableLabel(t)}"`);
      const key = `${singular(normalisedName(entry.target))}_id`;
      const advice = entry.copies
        ? `They copy columns of table "${tableLabel(entry.copies)}": reference it (${key}) from each table instead, and read the values from there.`
        : `Move them to a table "${entry.target}" and reference it (${key}) from each table.`;
      ctx.report({
        origin: table.origin,
        object: { ...tableObject(table, 'shared columns'), columns: names },
        message: `Columns ${names.join(', ')} of "${tableLabel(table)}" also appear, with the same types, in ${others.join(', ')}: one kind of thing stored in several places, so a change to one copy misses the others. ${advice}`,
      });
    }
  },
});
