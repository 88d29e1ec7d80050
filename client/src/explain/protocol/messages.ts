/**
 * The messages between the EXPLAIN panel and the extension, and the plan as the panel receives it.
 * Both sides parse every message with these schemas and drop what does not match.
 *
 * `zod/mini` rather than `zod`: the same validation, but tree-shakable, so the webview bundle carries
 * about 20 kB of it instead of 450 kB. No vscode import here: the webview bundle includes this file.
 */
import * as z from 'zod/mini';
import type { NodeMetrics } from '../../../../core/src';

const num = z.number();
const str = z.string();
const id = z.int().check(z.nonnegative());


/**
 * One plan node: the metrics of `NodeMetrics` plus the node's own EXPLAIN fields without `Plans`.
 * Pre-order ids: `nodes[i].id === i`, children after their parent, a subtree is contiguous.
 */
export type PlanViewNode = Omit<NodeMetrics, 'node' | 'buffers' | 'exclusiveBuffers'> & {
  buffers: Record<string, number>;
  exclusiveBuffers: Record<string, number>;
  fields: Record<string, unknown>;
};

const NODE_NUMBERS = ['loops', 'parallelDivisor', 'inclusiveMs', 'exclusiveMs', 'percentOfTotal', 'actualRowsTotal'] as const;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isId = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
const isCounts = (v: unknown) => isObject(v) && Object.values(v).every(isNumber);

/**
 * The node list, checked by hand rather than by a zod object per node: zod took 250 ms for a cold
 * 1,000-node plan in the webview (the slowest step of opening the panel), this loop a few. It also
 * checks what the tree view relies on and a schema cannot say: pre-order ids, parent and child links
 * that agree, depths that follow. Raw `fields` are only ever shown as text, so any JSON object passes.
 */
export function isPlanViewNodes(value: unknown): value is PlanViewNode[] {
  if (!Array.isArray(value) || value.length === 0) return false;
  for (let i = 0; i < value.length; i++) {
    const n: unknown = value[i];
    if (!isObject(n) || n.id !== i || !isId(n.depth) || typeof n.displayName !== 'string' || typeof n.neverExecuted !== 'boolean') return false;
    for (const k of NODE_NUMBERS) if (!isNumber(n[k])) return false;
    if (!isCounts(n.buffers) || !isCounts(n.exclusiveBuffers) || !isObject(n.fields)) return false;
    const m = n.misestimate;
    if (m !== undefined && !(isObject(m) && isNumber(m.factor) && (m.direction === 'over' || m.direction === 'under'))) return false;
    if (i === 0 ? n.parentId !== undefined || n.depth !== 0 : !isId(n.parentId) || n.parentId >= i) return false;
    if (!Array.isArray(n.childIds)) return false;
    for (const c of n.childIds) if (!isId(c) || c <= i || c >= value.length) return false;
  }
  for (const n of value as PlanViewNode[]) {
    for (const c of n.childIds) if (value[c].parentId !== n.id || value[c].depth !== n.depth + 1) return false;
  }
  return true;
}

export const PlanViewNodesSchema = z.custom<PlanViewNode[]>(isPlanViewNodes, { message: 'not a valid list of plan nodes' });

export const PlanViewSummarySchema = z.object({
  executionMs: z.optional(num),
  planningMs: z.optional(num),
  sharedHit: num,
  sharedRead: num,
  hitRatio: z.optional(num),
  planningBuffers: z.object({ hit: num, read: num }),
  jit: z.optional(z.object({ functions: num, totalMs: num, timing: z.record(str, num) })),
  triggers: z.array(z.object({ name: str, relation: z.optional(str), timeMs: num, calls: num })),
  outsideNodesMs: z.optional(num),
  ioTiming: z.boolean(),
  analyzed: z.boolean(),
  settings: z.record(str, str),
});

export const TipFixSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('create-index'), table: str, columns: z.array(str), sql: str }),
  z.object({ kind: z.literal('sql'), sql: str }),
  z.object({ kind: z.literal('setting'), name: str, value: str }),
]);

export const PlanViewTipSchema = z.object({
  id: str,
  nodeId: id,
  title: str,
  evidence: str,
  fix: z.optional(TipFixSchema),
});

export const PlanSourceSchema = z.object({
  /** `shadow`: the embedded PGlite database built from migrations; `connection`: a configured server; `file`: a saved plan. */
  kind: z.enum(['shadow', 'connection', 'file']),
  label: str,
});

export const PlanViewSchema = z.object({
  /** Changes with every new plan, so a restored webview and its host can tell whether they show the same one. */
  planId: str,
  nodes: PlanViewNodesSchema,
  summary: PlanViewSummarySchema,
  tips: z.array(PlanViewTipSchema),
  sql: z.optional(str),
  source: PlanSourceSchema,
  /** The EXPLAIN output's top level without `Plan` (Planning Time, Triggers, JIT, Settings …); `explainJson` puts the tree back. */
  root: z.record(str, z.unknown()),
  /** EXPLAIN (FORMAT TEXT) output when the caller has it; the panel otherwise derives a text tree. */
  rawText: z.optional(str),
});

export type PlanView = z.infer<typeof PlanViewSchema>;
export type PlanViewTip = z.infer<typeof PlanViewTipSchema>;
export type PlanViewSummary = z.infer<typeof PlanViewSummarySchema>;
export type PlanSource = z.infer<typeof PlanSourceSchema>;

/** Extension → panel. */
export const HostMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('plan'), plan: PlanViewSchema }),
  /** The query is running; the panel shows `message` until a plan or an error arrives. */
  z.object({ type: z.literal('running'), message: str }),
  z.object({ type: z.literal('error'), message: str }),
  /** Compare the shown plan with `base` (an earlier or saved plan); `label` says which one it is. */
  z.object({ type: z.literal('compare'), base: PlanViewSchema, label: str }),
]);
export type HostMessage = z.infer<typeof HostMessageSchema>;

const tipRef = { tipIndex: id, tipId: str };

/** Panel → extension. */
export const WebviewMessageSchema = z.discriminatedUnion('type', [
  /** Sent once the panel listens; `planId` is the plan it restored from its state, if any. */
  z.object({ type: z.literal('ready'), planId: z.optional(str) }),
  z.object({ type: z.literal('savePlan') }),
  /** "Compare…": the host lets the user pick the plan to compare with and answers with a `compare` message. */
  z.object({ type: z.literal('compare') }),
  z.object({ type: z.literal('loadSampleRows') }),
  /** Copy the raw plan; the host writes its own copy of the text to the clipboard. */
  z.object({ type: z.literal('copy'), format: z.enum(['json', 'text', 'sql']) }),
  /** A tip's "Create index" button: `tips[tipIndex]`, whose id must be `tipId`. */
  z.object({ type: z.literal('createIndex'), ...tipRef }),
  /** A tip's SQL or setting fix, to open for review. */
  z.object({ type: z.literal('openFix'), ...tipRef }),
]);
export type WebviewMessage = z.infer<typeof WebviewMessageSchema>;

/** What the panel keeps with `setState`, and what the serializer gets back after a reload. */
export const PanelStateSchema = z.object({
  version: z.literal(1),
  plan: PlanViewSchema,
  /** The plan being compared with, while the Compare tab is open. */
  compare: z.optional(z.object({ base: PlanViewSchema, label: str })),
  ui: z.object({
    tab: z.enum(['plan', 'json', 'text', 'compare']),
    selectedId: z.optional(id),
    collapsed: z.array(id),
    filter: str,
  }),
});
export type PanelState = z.infer<typeof PanelStateSchema>;

export const VIEW_TYPE = 'pgvet.explain';
