/**
 * The messages between the EXPLAIN panel and the extension, and the plan as the panel receives it.
 * Both sides parse every message with these schemas and drop what does not match.
 *
 * `zod/mini` rather than `zod`: the same validation, but tree-shakable, so the webview bundle carries
 * about 20 kB of it instead of 450 kB. No vscode import here: the webview bundle includes this file.
 */
import * as z from 'zod/mini';

const num = z.number();
const str = z.string();
const id = z.int().check(z.nonnegative());

export const BufferCountsSchema = z.record(str, num);

/** One plan node: the metrics of `NodeMetrics` plus the node's own EXPLAIN fields without `Plans`. */
export const PlanViewNodeSchema = z.object({
  id,
  parentId: z.optional(id),
  childIds: z.array(id),
  depth: id,
  displayName: str,
  loops: num,
  neverExecuted: z.boolean(),
  parallelDivisor: num,
  inclusiveMs: num,
  exclusiveMs: num,
  percentOfTotal: num,
  actualRowsTotal: num,
  misestimate: z.optional(z.object({ factor: num, direction: z.enum(['over', 'under']) })),
  buffers: BufferCountsSchema,
  exclusiveBuffers: BufferCountsSchema,
  fields: z.record(str, z.unknown()),
});

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
  nodes: z.array(PlanViewNodeSchema),
  summary: PlanViewSummarySchema,
  tips: z.array(PlanViewTipSchema),
  sql: z.optional(str),
  source: PlanSourceSchema,
  /** The EXPLAIN (FORMAT JSON) output, pretty-printed. */
  rawJson: str,
  /** EXPLAIN (FORMAT TEXT) output when the caller has it; the panel otherwise derives a text tree. */
  rawText: z.optional(str),
});

export type PlanView = z.infer<typeof PlanViewSchema>;
export type PlanViewNode = z.infer<typeof PlanViewNodeSchema>;
export type PlanViewTip = z.infer<typeof PlanViewTipSchema>;
export type PlanViewSummary = z.infer<typeof PlanViewSummarySchema>;
export type PlanSource = z.infer<typeof PlanSourceSchema>;

/** Extension → panel. */
export const HostMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('plan'), plan: PlanViewSchema }),
  /** The query is running; the panel shows `message` until a plan or an error arrives. */
  z.object({ type: z.literal('running'), message: str }),
  z.object({ type: z.literal('error'), message: str }),
]);
export type HostMessage = z.infer<typeof HostMessageSchema>;

const tipRef = { tipIndex: id, tipId: str };

/** Panel → extension. */
export const WebviewMessageSchema = z.discriminatedUnion('type', [
  /** Sent once the panel listens; `planId` is the plan it restored from its state, if any. */
  z.object({ type: z.literal('ready'), planId: z.optional(str) }),
  z.object({ type: z.literal('savePlan') }),
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
  ui: z.object({
    tab: z.enum(['plan', 'json', 'text']),
    selectedId: z.optional(id),
    collapsed: z.array(id),
    filter: str,
  }),
});
export type PanelState = z.infer<typeof PanelStateSchema>;

export const VIEW_TYPE = 'pgvet.explain';
