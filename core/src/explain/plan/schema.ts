import { z } from 'zod';

/**
 * EXPLAIN (FORMAT JSON) output, PostgreSQL 13–18. Tolerant on purpose: every key but `Node Type` is
 * optional and unknown keys are kept (newer servers add some; the detail view shows them all).
 * Key variants handled downstream: PG13–16 `I/O Read Time`/`I/O Write Time`, PG16+ `Temp I/O …`,
 * PG17+ `Shared I/O …`/`Local I/O …`; PG18 fractional `Actual Rows`, `Disabled`, `Index Searches`.
 */
const num = z.number();
const str = z.string();

export interface PlanNode {
  'Node Type': string;
  'Parent Relationship'?: string;
  'Subplan Name'?: string;
  'Relation Name'?: string;
  Schema?: string;
  Alias?: string;
  'CTE Name'?: string;
  Filter?: string;
  Plans?: PlanNode[];
  [key: string]: unknown;
}

/**
 * One plan node; its `Plans` are checked by parseExplainJson one node at a time, not by a recursive schema:
 * a plan of 500 nested subqueries (which PostgreSQL plans with its default stack) overflows a recursive parse.
 */
export const PlanNodeSchema = z.looseObject({
  'Node Type': str,
  'Parent Relationship': str.optional(),
  'Subplan Name': str.optional(),
  Strategy: str.optional(),
  'Partial Mode': str.optional(),
  Operation: str.optional(),
  'Parallel Aware': z.boolean().optional(),
  'Relation Name': str.optional(),
  Schema: str.optional(),
  Alias: str.optional(),
  'Index Name': str.optional(),
  'CTE Name': str.optional(),
  'Startup Cost': num.optional(),
  'Total Cost': num.optional(),
  'Plan Rows': num.optional(),
  'Plan Width': num.optional(),
  'Actual Startup Time': num.optional(),
  'Actual Total Time': num.optional(),
  'Actual Rows': num.optional(),
  'Actual Loops': num.optional(),
  'Workers Planned': num.optional(),
  'Workers Launched': num.optional(),
  Disabled: z.boolean().optional(),
  'Index Searches': num.optional(),
  Filter: str.optional(),
  'Rows Removed by Filter': num.optional(),
  'Heap Fetches': num.optional(),
  'Exact Heap Blocks': num.optional(),
  'Lossy Heap Blocks': num.optional(),
  'Sort Method': str.optional(),
  'Sort Space Used': num.optional(),
  'Sort Space Type': str.optional(),
  'Hash Batches': num.optional(),
  'Original Hash Batches': num.optional(),
  'Peak Memory Usage': num.optional(),
  'Disk Usage': num.optional(),
  'HashAgg Batches': num.optional(),
  Plans: z.array(z.unknown()).optional(),
});

export const TriggerSchema = z.looseObject({
  'Trigger Name': str,
  Relation: str.optional(),
  Time: num.optional(),
  Calls: num.optional(),
});

export const JitSchema = z.looseObject({
  Functions: num.optional(),
  Timing: z.looseObject({ Total: num.optional() }).optional(),
});

export const ExplainRootSchema = z.looseObject({
  Plan: z.unknown(),
  'Planning Time': num.optional(),
  'Execution Time': num.optional(),
  Planning: z.record(str, z.unknown()).optional(),
  Triggers: z.array(TriggerSchema).optional(),
  JIT: JitSchema.optional(),
  Settings: z.record(str, str).optional(),
});

export type ExplainRoot = z.infer<typeof ExplainRootSchema> & { Plan: PlanNode };

/** Accepts what PostgreSQL returns (`[ {Plan…} ]`), a bare root object, or the JSON text of either. */
export function parseExplainJson(input: unknown): ExplainRoot {
  const value = typeof input === 'string' ? JSON.parse(input) : input;
  const root = ExplainRootSchema.parse(Array.isArray(value) ? value[0] : value);
  const top = parseNode(root.Plan, ['Plan']);
  const stack: { node: PlanNode; path: PropertyKey[] }[] = [{ node: top, path: ['Plan'] }];
  while (stack.length > 0) {
    const { node, path } = stack.pop()!;
    if (!node.Plans) continue;
    node.Plans = node.Plans.map((child, i) => parseNode(child, [...path, 'Plans', i]));
    for (let i = 0; i < node.Plans.length; i++) stack.push({ node: node.Plans[i], path: [...path, 'Plans', i] });
  }
  return { ...root, Plan: top };
}

/** One node, with errors placed where the node sits in the whole plan (`Plan.Plans.0.Node Type`). */
function parseNode(value: unknown, path: PropertyKey[]): PlanNode {
  const result = PlanNodeSchema.safeParse(value);
  if (!result.success) throw new z.ZodError(result.error.issues.map((issue) => ({ ...issue, path: [...path, ...issue.path] })));
  return result.data as PlanNode;
}

/** Buffer counters, in blocks. */
export const BUFFER_KEYS = [
  'Shared Hit Blocks', 'Shared Read Blocks', 'Shared Dirtied Blocks', 'Shared Written Blocks',
  'Local Hit Blocks', 'Local Read Blocks', 'Local Dirtied Blocks', 'Local Written Blocks',
  'Temp Read Blocks', 'Temp Written Blocks',
] as const;

/** I/O timing keys of every version; any present means track_io_timing was on. */
export const IO_TIME_KEYS = [
  'I/O Read Time', 'I/O Write Time',
  'Shared I/O Read Time', 'Shared I/O Write Time', 'Local I/O Read Time', 'Local I/O Write Time',
  'Temp I/O Read Time', 'Temp I/O Write Time',
] as const;
