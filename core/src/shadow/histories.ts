import type { MigrationSet } from '../catalog/history';
import type { Catalog } from '../catalog/model';
import { parseSqlFile } from '../parse/sql/parser';

/**
 * One migration history: what one database is built from. A workspace can hold several (trigger.dev keeps two
 * Prisma projects with their own databases, and a drizzle one): each gets its own shadow database, since
 * replaying them into one fails where both create the same type or table.
 */
export interface ShadowHistory {
  /** The folder of its tool's migrations (the workspace for a history of plain folders only): the cache key. */
  id: string;
  /** The tool's set first, then the plain folders of .sql (data fixes, seeds) that belong with it. */
  sets: MigrationSet[];
}

function commonPrefixLength(a: string, b: string): number {
  const x = a.split(/[\\/]/);
  const y = b.split(/[\\/]/);
  let k = 0;
  while (k < x.length && k < y.length && x[k] === y[k]) k++;
  return k;
}

/**
 * The histories of a workspace: each tool's migrations folder is one; a plain folder of .sql files runs after the
 * tool history nearest to it in the folder tree (the one it usually depends on). Without any tool history, the
 * plain folders together are one history, keyed by `workspace`.
 */
export function shadowHistories(sets: readonly MigrationSet[], workspace: string): ShadowHistory[] {
  const tools = sets.filter((s) => s.layout !== 'plain');
  const plain = sets.filter((s) => s.layout === 'plain');
  if (tools.length === 0) return plain.length ? [{ id: workspace, sets: [...plain] }] : [];
  const histories = tools.map((s) => ({ id: s.dir, sets: [s] }));
  for (const p of plain) {
    let best = histories[0];
    for (const h of histories) if (commonPrefixLength(h.id, p.dir) > commonPrefixLength(best.id, p.dir)) best = h;
    best.sets.push(p);
  }
  return histories;
}

export interface NamedRelation {
  schema?: string;
  name: string;
}

/** Walks a statement's AST for the relations it reads or writes (RangeVar), leaving out its CTE names. */
export function relationsNamed(sql: string): NamedRelation[] {
  const out = new Map<string, NamedRelation>();
  const ctes = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'RangeVar' && value && typeof value === 'object') {
        const r = value as { schemaname?: string; relname?: string };
        if (r.relname) out.set(`${r.schemaname ?? ''}.${r.relname}`, { ...(r.schemaname ? { schema: r.schemaname } : {}), name: r.relname });
      } else if (key === 'CommonTableExpr' && value && typeof value === 'object') {
        const name = (value as { ctename?: string }).ctename;
        if (name) ctes.add(name);
      }
      visit(value);
    }
  };
  for (const s of parseSqlFile(sql).statements) visit(s.ast);
  return [...out.values()].filter((r) => r.schema !== undefined || !ctes.has(r.name));
}

/** Whether the catalog has the relation: qualified as written, or unqualified in a schema of its search path. */
function catalogHas(catalog: Catalog, r: NamedRelation): boolean {
  const schemas = r.schema !== undefined ? [r.schema] : catalog.searchPath;
  return schemas.some((name) => {
    const s = catalog.schemas.get(name);
    return !!s && (s.tables.has(r.name) || s.views.has(r.name));
  });
}

export type HistoryChoice =
  | { kind: 'one'; history: ShadowHistory }
  /** Several histories fit as well (`candidates`), or none has the relations (`candidates` is all of them): ask. */
  | { kind: 'ask'; candidates: ShadowHistory[]; named: NamedRelation[]; reason: 'ambiguous' | 'none' };

/**
 * The history a query runs against: the one whose catalog has the most of the relations the query names, when
 * exactly one has the most. A workspace with one history needs no choice.
 */
export function historyForQuery(histories: readonly { history: ShadowHistory; catalog: Catalog }[], sql: string): HistoryChoice {
  if (histories.length === 1) return { kind: 'one', history: histories[0].history };
  const named = relationsNamed(sql);
  const scored = histories.map((h) => ({ ...h, score: named.filter((r) => catalogHas(h.catalog, r)).length }));
  const best = Math.max(0, ...scored.map((h) => h.score));
  const top = scored.filter((h) => h.score === best).map((h) => h.history);
  if (best > 0 && top.length === 1) return { kind: 'one', history: top[0] };
  return { kind: 'ask', candidates: best > 0 ? top : histories.map((h) => h.history), named, reason: best > 0 ? 'ambiguous' : 'none' };
}
