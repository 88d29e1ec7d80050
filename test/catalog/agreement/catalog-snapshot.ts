import type { Client } from 'pg';
import { allTables, type Catalog, type Deferrable, type Index, type IndexKey, type Policy, type Table } from '../../../core/src/catalog/model';
import { quoteIdent } from '../../../core/src/parse/sql/ast';
import { ident, literal, normaliseThroughPostgres, rel, SCRATCH, type NormaliseItem } from './normalise';
import { DEFAULT_TEXT, INDEX_TEXT, POLICY_TEXT } from './pg-text';
import { columnLine, emptySnapshot, fkIsIndexed, list, q, relName, type FactKind, type Snapshot } from './snapshot';

/**
 * pgvet's catalog as the same lines as databaseSnapshot. Where a line holds an expression, pgvet's text is put
 * through PostgreSQL on the real table (normalise.ts) and the line holds what PostgreSQL prints for it. A line
 * rendered directly from pgvet's model that the database already has is taken as it is (a text PostgreSQL printed
 * parses back to itself), which leaves only the rest to the server.
 */
interface Fact {
  kind: FactKind;
  /** The line rendered directly from pgvet's model. */
  direct: string;
  /** How to have PostgreSQL print the expression part instead, and the line that makes. */
  viaPostgres?: { setup: string; read: string; line: (printed: string) => string };
}

const ACTION_SQL: Record<string, string> = { restrict: 'RESTRICT', cascade: 'CASCADE', 'set null': 'SET NULL', 'set default': 'SET DEFAULT' };
const readConstraint = (schema: string, table: string) =>
  `SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = ${literal(rel(schema, table))}::regclass AND conname = ${literal(SCRATCH)}`;
const readDefault = (schema: string, table: string, column: string) =>
  `SELECT ${DEFAULT_TEXT} FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
   WHERE d.adrelid = ${literal(rel(schema, table))}::regclass AND a.attname = ${literal(column)}`;
const withoutNotValid = (def: string) => def.replace(/ NOT VALID$/, '');

/** A key as CREATE INDEX / EXCLUDE takes it, with pgvet's expression text. */
function keySql(k: IndexKey): string {
  let sql = k.column !== undefined ? ident(k.column) : `(${k.expression})`;
  if (k.collation) sql += ` COLLATE ${k.collation}`;
  if (k.opclass) sql += ` ${k.opclass}`;
  if (k.descending) sql += ' DESC';
  if (k.nulls) sql += ` NULLS ${k.nulls.toUpperCase()}`;
  return sql;
}

/** pg_get_indexdef's text for an index of plain columns (undefined when it has anything PostgreSQL must print itself). */
function directIndexText(t: { schema: string; name: string; kind?: string }, i: Index): string | undefined {
  if (i.predicate !== undefined || i.keys.some((k) => k.column === undefined || k.opclass || k.collation)) return undefined;
  const ordered = i.method === 'btree';
  const keys = i.keys.map((k) => {
    let s = quoteIdent(k.column!);
    if (ordered && k.descending) s += ' DESC';
    if (ordered && k.nulls === 'first' && !k.descending) s += ' NULLS FIRST';
    if (ordered && k.nulls === 'last' && k.descending) s += ' NULLS LAST';
    return s;
  });
  const include = i.include.length ? ` INCLUDE (${i.include.map(quoteIdent).join(', ')})` : '';
  return `CREATE ${i.unique ? 'UNIQUE ' : ''}INDEX ON ${t.kind === 'partitioned' ? 'ONLY ' : ''}${quoteIdent(t.schema)}.${quoteIdent(t.name)} USING ${i.method} (${keys.join(', ')})${include}${withOptions(i)}`;
}

function indexFact(t: { schema: string; name: string; kind?: string }, i: Index): Fact {
  const prefix = `${relName(t.schema, t.name)} ${q(i.name)} `;
  const include = i.include.length ? ` INCLUDE (${i.include.map(ident).join(', ')})` : '';
  const where = i.predicate !== undefined ? ` WHERE (${i.predicate})` : '';
  return {
    kind: 'index',
    direct: prefix + (directIndexText(t, i) ?? '(not rendered)'),
    viaPostgres: {
      setup: `CREATE ${i.unique ? 'UNIQUE ' : ''}INDEX ${SCRATCH} ON ${rel(t.schema, t.name)} USING ${i.method} (${i.keys.map(keySql).join(', ')})${include}${withOptions(i)}${where}`,
      read: `SELECT ${INDEX_TEXT} FROM pg_class ic WHERE ic.oid = ${literal(rel(t.schema, SCRATCH))}::regclass`,
      line: (printed) => prefix + printed,
    },
  };
}

const withOptions = (i: Index) => (i.options?.length ? ` WITH (${i.options.join(', ')})` : '');
const deferrableText = (d: Deferrable | undefined) => (d ? ` DEFERRABLE${d === 'deferred' ? ' INITIALLY DEFERRED' : ''}` : '');

/** The referenced table as pg_get_constraintdef names it under search_path "$user", public. */
const referenceName = (r: { schema: string; name: string }) => (r.schema === 'public' ? quoteIdent(r.name) : `${quoteIdent(r.schema)}.${quoteIdent(r.name)}`);

function tableFacts(t: Table): Fact[] {
  const facts: Fact[] = [];
  const r = relName(t.schema, t.name);
  const target = rel(t.schema, t.name);
  const notValid = t.kind === 'partitioned' ? '' : ' NOT VALID';
  facts.push({ kind: 'table', direct: `${r} ${t.kind}` });
  facts.push({ kind: 'rls', direct: `${r}${t.rls.enabled ? ' enabled' : ''}${t.rls.forced ? ' forced' : ''}` });
  if (!t.columnsUnknown) {
    for (const c of t.columns) {
      const line = (expr: string | undefined) => columnLine(r, c.name, c.type, c.notNull, c.identity, c.generated !== undefined ? expr : undefined, c.generated === undefined ? expr : undefined);
      const generated = c.generated?.replace(/\s+STORED\s*$/i, '');
      const text = generated ?? c.default;
      const fact: Fact = { kind: 'column', direct: line(text) };
      if (generated !== undefined) {
        fact.viaPostgres = {
          setup: `ALTER TABLE ${target} ADD COLUMN ${SCRATCH} ${c.type} GENERATED ALWAYS AS (${generated}) STORED`,
          read: readDefault(t.schema, t.name, SCRATCH),
          line: (printed) => line(printed === 'none' ? undefined : printed),
        };
      } else if (c.default !== undefined) {
        fact.viaPostgres = {
          setup: `ALTER TABLE ${target} ALTER COLUMN ${ident(c.name)} SET DEFAULT ${c.default}`,
          read: readDefault(t.schema, t.name, c.name),
          line: (printed) => line(printed === 'none' ? undefined : printed),
        };
      }
      facts.push(fact);
    }
  }
  const indexPart = (name: string) => {
    const index = t.indexes.find((i) => i.name === name);
    const include = index?.include ?? [];
    return (include.length ? ` INCLUDE (${include.map(quoteIdent).join(', ')})` : '') + (index ? withOptions(index) : '');
  };
  const cols = (xs: string[]) => xs.map(quoteIdent).join(', ');
  if (t.primaryKey) facts.push({ kind: 'pk', direct: `${r} ${q(t.primaryKey.name)} PRIMARY KEY (${cols(t.primaryKey.columns)})${indexPart(t.primaryKey.name)}${deferrableText(t.primaryKey.deferrable)}` });
  for (const u of t.uniqueConstraints) facts.push({ kind: 'unique', direct: `${r} ${q(u.name)} UNIQUE (${cols(u.columns)})${indexPart(u.name)}${deferrableText(u.deferrable)}` });
  for (const fk of t.foreignKeys) {
    const prefix = `${r} ${q(fk.name)} `;
    const actions = (order: 'update-first' | 'delete-first') => {
      const upd = fk.onUpdate !== 'no action' ? ` ON UPDATE ${ACTION_SQL[fk.onUpdate]}` : '';
      const del = fk.onDelete !== 'no action' ? ` ON DELETE ${ACTION_SQL[fk.onDelete]}` : '';
      return order === 'update-first' ? upd + del : del + upd;
    };
    const suffix = deferrableText(fk.deferrable) + (fk.notValid ? ' NOT VALID' : '');
    facts.push({
      kind: 'fk',
      direct: `${prefix}FOREIGN KEY (${cols(fk.columns)}) REFERENCES ${referenceName(fk.references)}(${cols(fk.referencedColumns)})${actions('update-first')}${suffix}`,
      viaPostgres: {
        setup: `ALTER TABLE ${target} ADD CONSTRAINT ${SCRATCH} FOREIGN KEY (${fk.columns.map(ident).join(', ')}) REFERENCES ${rel(fk.references.schema, fk.references.name)} (${fk.referencedColumns.map(ident).join(', ')})${actions('delete-first')}${deferrableText(fk.deferrable)}${notValid}`,
        read: readConstraint(t.schema, t.name),
        line: (printed) => prefix + withoutNotValid(printed) + suffix,
      },
    });
  }
  for (const c of t.checks) {
    const prefix = `${r} ${q(c.name)} `;
    const suffix = c.notValid ? ' NOT VALID' : '';
    facts.push({
      kind: 'check',
      direct: `${prefix}CHECK (${c.expression})${suffix}`,
      viaPostgres: { setup: `ALTER TABLE ${target} ADD CONSTRAINT ${SCRATCH} CHECK (${c.expression})${notValid}`, read: readConstraint(t.schema, t.name), line: (printed) => prefix + withoutNotValid(printed) + suffix },
    });
  }
  for (const i of t.indexes) {
    facts.push(indexFact(t, i));
    if (i.backs !== 'exclusion') continue;
    const prefix = `${r} ${q(i.name)} `;
    const elems = i.keys.map((k) => `${keySql(k)} WITH ${k.operator}`).join(', ');
    const include = i.include.length ? ` INCLUDE (${i.include.map(ident).join(', ')})` : '';
    const where = i.predicate !== undefined ? ` WHERE (${i.predicate})` : '';
    facts.push({
      kind: 'exclude',
      direct: `${prefix}(not rendered)`,
      viaPostgres: { setup: `ALTER TABLE ${target} ADD CONSTRAINT ${SCRATCH} EXCLUDE USING ${i.method} (${elems})${include}${where}`, read: readConstraint(t.schema, t.name), line: (printed) => prefix + printed },
    });
  }
  for (const p of t.policies) facts.push(policyFact(t, p));
  facts.push(...partitionFacts(t));
  return facts;
}

/** The partition key, the parent and bound of a partition, and the attachments of its indexes (see snapshot.ts). */
function partitionFacts(t: Table): Fact[] {
  const facts: Fact[] = [];
  const r = relName(t.schema, t.name);
  const target = rel(t.schema, t.name);
  if (t.kind === 'partitioned' && t.partitionKey) {
    const key = `${(t.partitionBy ?? '').toUpperCase()} (${t.partitionKey.text})`;
    facts.push({
      kind: 'partition',
      direct: `${r} by ${key}`,
      viaPostgres: { setup: `CREATE TABLE ${SCRATCH} (LIKE ${target}) PARTITION BY ${key}`, read: `SELECT pg_get_partkeydef(${literal(SCRATCH)}::regclass)`, line: (printed) => `${r} by ${printed}` },
    });
  }
  if (t.partitionOf) {
    const parent = rel(t.partitionOf.schema, t.partitionOf.name);
    const prefix = `${r} of ${relName(t.partitionOf.schema, t.partitionOf.name)} `;
    const bound = t.partitionBound ?? '(unknown bound)';
    // The real partition is detached first, so that a scratch one with pgvet's bound does not overlap it.
    const body = `EXECUTE ${literal(`ALTER TABLE ${parent} DETACH PARTITION ${target}`)}; EXECUTE ${literal(`CREATE TABLE ${SCRATCH} PARTITION OF ${parent} ${bound}`)};`;
    facts.push({
      kind: 'partition',
      direct: prefix + bound,
      viaPostgres: { setup: `DO $pgvet$ BEGIN ${body} END $pgvet$`, read: `SELECT pg_get_expr(relpartbound, oid) FROM pg_class WHERE oid = ${literal(SCRATCH)}::regclass`, line: (printed) => prefix + printed },
    });
  }
  for (const i of t.indexes) {
    if (i.attachedTo) facts.push({ kind: 'index-partition', direct: `${r} ${q(i.name)} attached to ${relName(i.attachedTo.schema, i.attachedTo.name)}` });
  }
  return facts;
}

const ROLE_SQL: Record<string, string> = { public: 'PUBLIC', current_user: 'CURRENT_USER', session_user: 'SESSION_USER', current_role: 'CURRENT_ROLE' };

function policyFact(t: Table, p: Policy): Fact {
  const prefix = `${relName(t.schema, t.name)} ${q(p.name)} `;
  const roles = p.roles.map((x) => ROLE_SQL[x] ?? ident(x)).join(', ');
  const using = p.using !== undefined ? ` USING (${p.using})` : '';
  const check = p.withCheck !== undefined ? ` WITH CHECK (${p.withCheck})` : '';
  return {
    kind: 'policy',
    direct: `${prefix}(not rendered)`,
    viaPostgres: {
      setup: `CREATE POLICY ${SCRATCH} ON ${rel(t.schema, t.name)} AS ${p.permissive ? 'PERMISSIVE' : 'RESTRICTIVE'} FOR ${p.command.toUpperCase()} TO ${roles}${using}${check}`,
      read: `SELECT ${POLICY_TEXT} FROM pg_policy p WHERE p.polrelid = ${literal(rel(t.schema, t.name))}::regclass AND p.polname = ${literal(SCRATCH)}`,
      line: (printed) => prefix + printed,
    },
  };
}

function catalogFacts(catalog: Catalog): Fact[] {
  const facts: Fact[] = [];
  for (const t of allTables(catalog)) {
    facts.push(...tableFacts(t));
    const usable = t.indexes.map((i) => ({ keys: i.keys.map((k) => k.column), usable: i.predicate === undefined && i.keys.every((k) => k.column !== undefined) }));
    for (const fk of t.foreignKeys) if (!fkIsIndexed(fk.columns, usable)) facts.push({ kind: 'unindexed-fk', direct: `${relName(t.schema, t.name)} ${q(fk.name)}` });
  }
  for (const schema of catalog.schemas.values()) {
    for (const e of schema.enums.values()) facts.push({ kind: 'enum', direct: `${relName(e.schema, e.name)} ${list(e.values)}` });
    for (const seq of schema.sequences.values()) {
      const owner = seq.ownedBy?.split(/\.(?=[^.]*$)/);
      facts.push({ kind: 'sequence', direct: `${relName(seq.schema, seq.name)}${owner ? ` owned by ${q(owner[0])}.${q(owner[1])}` : ''}` });
    }
    for (const v of schema.views.values()) {
      facts.push({ kind: 'view', direct: `${relName(v.schema, v.name)} ${v.materialized ? 'materialized' : 'view'}` });
      for (const c of v.columns ?? []) facts.push({ kind: 'view-column', direct: `${relName(v.schema, v.name)}.${q(c.name)} ${c.type}` });
      for (const i of v.indexes) facts.push(indexFact(v, i));
    }
  }
  return facts;
}

export interface CatalogSnapshot {
  snapshot: Snapshot;
  /** How many facts needed PostgreSQL to print pgvet's text (the rest matched as rendered). */
  normalised: number;
}

/** pgvet's catalog as lines comparable with `database`'s (see the file comment); `client` is the database the history was applied to. */
export async function catalogSnapshot(client: Client, catalog: Catalog, database: Snapshot): Promise<CatalogSnapshot> {
  const facts = catalogFacts(catalog);
  const known = new Map([...database].map(([k, lines]) => [k, new Set(lines)]));
  const items: NormaliseItem[] = [];
  const keyOf = new Map<Fact, string>();
  for (const f of facts) {
    if (!f.viaPostgres || known.get(f.kind)!.has(f.direct)) continue;
    const key = String(items.length);
    keyOf.set(f, key);
    items.push({ key, setup: f.viaPostgres.setup, read: f.viaPostgres.read });
  }
  const printed = await normaliseThroughPostgres(client, items);
  const snap = emptySnapshot();
  for (const f of facts) {
    const key = keyOf.get(f);
    snap.get(f.kind)!.push(key === undefined ? f.direct : f.viaPostgres!.line(printed.get(key) ?? 'error: not normalised'));
  }
  for (const lines of snap.values()) lines.sort();
  return { snapshot: snap, normalised: items.length };
}
