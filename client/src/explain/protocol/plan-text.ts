/**
 * Plain-text renderings of plan nodes, shared by the panel (rows, the Text tab) and the host (copy).
 * When the caller has no EXPLAIN (FORMAT TEXT) output, `planText` derives PostgreSQL's text layout
 * from the JSON fields. No DOM and no vscode import.
 */
import type { PlanView, PlanViewNode, PlanViewTip } from './messages';

type Fields = Record<string, unknown>;
const s = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** What a node works on, as the text format says it: `on schema.table alias`, `using index`. */
export function nodeTarget(fields: Fields): { on?: string; using?: string } {
  const alias = s(fields.Alias);
  const relation = s(fields['Relation Name']) ?? s(fields['CTE Name']) ?? s(fields['Function Name']) ?? s(fields['Table Function Name']);
  const schema = s(fields.Schema);
  let on: string | undefined;
  if (relation !== undefined) {
    on = schema && fields['Relation Name'] !== undefined ? `${schema}.${relation}` : relation;
    if (alias !== undefined && alias !== relation) on += ` ${alias}`;
  } else if (alias !== undefined && fields['Node Type'] !== 'Aggregate') {
    on = alias;
  }
  return { on, using: s(fields['Index Name']) };
}

export function nodeTitle(node: PlanViewNode): string {
  const { on, using } = nodeTarget(node.fields);
  let title = node.displayName;
  if (using !== undefined) title += ` using ${using}`;
  if (on !== undefined) title += ` on ${on}`;
  return title;
}

const fixed = (v: unknown, digits: number) => (typeof v === 'number' ? v.toFixed(digits) : '?');
const int = (v: unknown) => (typeof v === 'number' ? String(Math.round(v * 100) / 100) : '?');

/** Keys shown inline on the node line or as structure, not as detail lines. */
const INLINE_KEYS = new Set([
  'Node Type', 'Parent Relationship', 'Subplan Name', 'Parallel Aware', 'Async Capable', 'Relation Name', 'Schema', 'Alias',
  'Index Name', 'CTE Name', 'Function Name', 'Startup Cost', 'Total Cost', 'Plan Rows', 'Plan Width', 'Actual Startup Time',
  'Actual Total Time', 'Actual Rows', 'Actual Loops', 'Strategy', 'Partial Mode', 'Operation', 'Disabled',
]);

function detailValue(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(', ');
  if (v && typeof v === 'object') return JSON.stringify(v);
  return undefined;
}

function nodeLine(node: PlanViewNode): string {
  const f = node.fields;
  let line = `${nodeTitle(node)}  (cost=${fixed(f['Startup Cost'], 2)}..${fixed(f['Total Cost'], 2)} rows=${int(f['Plan Rows'])} width=${int(f['Plan Width'])})`;
  if (node.neverExecuted) line += ' (never executed)';
  else if (f['Actual Total Time'] !== undefined) {
    line += ` (actual time=${fixed(f['Actual Startup Time'], 3)}..${fixed(f['Actual Total Time'], 3)} rows=${int(f['Actual Rows'])} loops=${int(f['Actual Loops'])})`;
  } else if (f['Actual Rows'] !== undefined) {
    line += ` (actual rows=${int(f['Actual Rows'])} loops=${int(f['Actual Loops'])})`;
  }
  return line;
}

/** PostgreSQL's text layout (each level indents six, children behind `->`), derived from the JSON fields. */
export function planText(plan: Pick<PlanView, 'nodes' | 'summary'>): string {
  const lines: string[] = [];
  for (const node of plan.nodes) {
    const d = node.depth;
    const lead = d === 0 ? '' : ' '.repeat(6 * (d - 1) + 2);
    const sub = s(node.fields['Subplan Name']);
    if (sub !== undefined) lines.push(`${lead}${sub}`);
    lines.push(d === 0 ? nodeLine(node) : `${lead}->  ${nodeLine(node)}`);
    const pad = ' '.repeat(6 * d + 2);
    for (const [k, v] of Object.entries(node.fields)) {
      if (INLINE_KEYS.has(k)) continue;
      const text = detailValue(v);
      if (text !== undefined) lines.push(`${pad}${k}: ${text}`);
    }
  }
  const { planningMs, executionMs, triggers } = plan.summary;
  if (planningMs !== undefined) lines.push(`Planning Time: ${planningMs.toFixed(3)} ms`);
  for (const t of triggers) lines.push(`Trigger ${t.name}${t.relation ? ` on ${t.relation}` : ''}: time=${t.timeMs.toFixed(3)} calls=${t.calls}`);
  if (executionMs !== undefined) lines.push(`Execution Time: ${executionMs.toFixed(3)} ms`);
  return lines.join('\n');
}

/** The SQL a tip's fix stands for, as it is shown and reviewed; a setting's value is quoted (`16MB` alone does not parse). */
export function fixSql(tip: PlanViewTip): string | undefined {
  const fix = tip.fix;
  if (!fix) return undefined;
  return fix.kind === 'setting' ? `SET ${fix.name} = '${fix.value.replace(/'/g, "''")}';` : fix.sql;
}

/**
 * The EXPLAIN (FORMAT JSON) output again, `[{ Plan, …root }]`, rebuilt from the nodes: the plan travels
 * once (as nodes), not twice (nodes and raw JSON). Each node's `Plans` comes last, as PostgreSQL writes it.
 */
export function explainJson(plan: Pick<PlanView, 'nodes' | 'root'>): unknown[] {
  if (!plan.nodes.length) return [plan.root];
  const build = (node: PlanViewNode): Record<string, unknown> => {
    const out: Record<string, unknown> = { ...node.fields };
    if (node.childIds.length) out.Plans = node.childIds.map((id) => build(plan.nodes[id]));
    return out;
  };
  return [{ Plan: build(plan.nodes[0]), ...plan.root }];
}

export function explainJsonText(plan: Pick<PlanView, 'nodes' | 'root'>): string {
  return JSON.stringify(explainJson(plan), null, 2);
}
