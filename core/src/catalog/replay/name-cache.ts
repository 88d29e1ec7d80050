import type { Schema } from '../model';

/**
 * Index and constraint names per schema, kept while `applyFile` replays a run of CREATE TABLE / CREATE INDEX
 * statements, so that choosing a generated name costs O(1) per candidate instead of a scan of every index and
 * constraint of the schema, and the n-th `CREATE INDEX ON a (v)` starts from the suffix the previous one reached
 * instead of trying `a_v_idx`, `a_v_idx1` … again (100,000 of them took minutes, 8,000 tables with a foreign key
 * seconds).
 *
 * Exact, not a heuristic: while a cache lives, names are only added (the two statement kinds that keep it record
 * every name they add), so a name seen taken stays taken. Any other statement may drop or rename, so it runs
 * without the cache and the cache starts empty after it; outside `applyFile` there is none.
 */
interface SchemaNames {
  /** Index names (tables, views and sequences are in the schema's maps already). */
  indexes: Set<string>;
  /** Constraint names: primary keys, uniques, foreign keys, checks, exclusions. */
  constraints: Set<string>;
  /** The attempt (0: `label`, k: `label<k>`) a name choice reached last, per base name: every earlier one is taken. */
  attempts: Map<string, number>;
}

let active: WeakMap<Schema, SchemaNames> | undefined;

/** Runs `replay` (one file's statements) with a name cache. */
export function withNameCache(replay: () => void): void {
  const outer = active;
  active = new WeakMap();
  try {
    replay();
  } finally {
    active = outer;
  }
}

/**
 * Statements that change no relation or constraint name, so the cache stays true across them (a migration's run of
 * COMMENT ON or GRANT statements does not rebuild it after each).
 */
const NAME_NEUTRAL = new Set(['CommentStmt', 'GrantStmt', 'AlterDefaultPrivilegesStmt', 'CreateTrigStmt', 'CreateExtensionStmt', 'AlterFunctionStmt', 'AlterOwnerStmt']);

/** CREATE TABLE and CREATE INDEX only add names and record them; the name-neutral ones leave them; every other statement runs without the cache. */
export function keepsNameCache(kind: string): boolean {
  return kind === 'CreateStmt' || kind === 'IndexStmt' || NAME_NEUTRAL.has(kind);
}

/** Runs a statement that does not keep the cache: without it, and with a fresh one afterwards. */
export function withoutNameCache(apply: () => void): void {
  const outer = active;
  active = undefined;
  try {
    apply();
  } finally {
    active = outer && new WeakMap();
  }
}

/** For the rare removal inside a statement that keeps the cache (a second PRIMARY KEY replacing the first). */
export function forgetNames(): void {
  if (active) active = new WeakMap();
}

function build(schema: Schema): SchemaNames {
  const names: SchemaNames = { indexes: new Set(), constraints: new Set(), attempts: new Map() };
  for (const owner of [...schema.tables.values(), ...schema.views.values()]) {
    for (const i of owner.indexes) {
      names.indexes.add(i.name);
      if (i.backs === 'exclusion') names.constraints.add(i.name);
    }
  }
  for (const t of schema.tables.values()) {
    if (t.primaryKey) names.constraints.add(t.primaryKey.name);
    for (const list of [t.uniqueConstraints, t.foreignKeys, t.checks]) for (const c of list) names.constraints.add(c.name);
  }
  return names;
}

/** The schema's cached names, built on first use; undefined when no cache is active. */
export function cachedNames(schema: Schema): SchemaNames | undefined {
  if (!active) return undefined;
  let names = active.get(schema);
  if (!names) active.set(schema, (names = build(schema)));
  return names;
}

/** Records an index name (and, for one behind a constraint, the constraint's) added to `schema`. */
export function recordIndexName(schema: Schema, name: string, backsConstraint: boolean): void {
  const names = active?.get(schema);
  names?.indexes.add(name);
  if (backsConstraint) names?.constraints.add(name);
}

export function recordConstraintName(schema: Schema, name: string): void {
  active?.get(schema)?.constraints.add(name);
}

/** Where a name choice for `key` may start: earlier attempts are taken (only with an active cache). */
export function attemptMemo(schema: Schema): Map<string, number> | undefined {
  return cachedNames(schema)?.attempts;
}
