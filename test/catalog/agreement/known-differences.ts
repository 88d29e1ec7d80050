import type { FactKind, SnapshotDiff } from './snapshot';

/**
 * Differences between pgvet's catalog and PostgreSQL's that the agreement test accepts, each with its reason.
 * A `line` entry explains one side: `missing` = PostgreSQL has the line and pgvet does not, `extra` = the other way
 * round; `line` is the exact fact line, or a pattern for a group with one cause. An `unknownType` entry explains a
 * column pgvet has with the type `(unknown type)` together with PostgreSQL's line for the same column (its real type),
 * in the tables or views the pattern names. The test fails on a difference not listed here and on an entry that no
 * longer matches any difference (remove it then).
 */
export type KnownDifference =
  | { project: string; kind: FactKind; side: 'missing' | 'extra'; line: string | RegExp; reason: string }
  | { project: string; kind: 'column' | 'view-column'; unknownType: RegExp; reason: string };

// Empty: every history agrees. (The civitai columns of CREATE TABLE … AS and views listed here as item 15 now have
// derived types: window functions, aggregates, JSON and bitwise operators, and iif(), a function the history creates.)
/** hatchet's partitions named after the day the migration runs: `v1_task_20261206`, `v1_runs_olap_20261206_running`. */
const HATCHET_DAY_PARTITION = /^"public"\."v1_[a-z_]+_\d{8}(_[a-z]+)?"([ .]|$)/;
const HATCHET_DAY_REASON = 'hatchet creates these partitions while migrating, from PL/pgSQL functions called with CURRENT_DATE / NOW() '
  + '(create_v1_range_partition, create_v1_olap_partition_with_date_and_status): a static replay cannot run them, and their names change every day';

/** The same partitions in the privilege lines, which name relations as `relation public.v1_task_20261206`. */
const HATCHET_DAY_PARTITION_ACL = /^relation "public"\."v1_[a-z_]+_\d{8}(_[a-z]+)?" /;

/**
 * civitai's 20260806130000 migration fails at its last statement (an INSERT of an enum value that an earlier, rejected
 * migration added), but its own BEGIN … COMMIT had already committed the function and the trigger before it.
 */
const CIVITAI_COMMITTED = /queue_blocked_image_for_delete/;
const CIVITAI_REASON = 'the migration is rejected at its last INSERT, after its BEGIN … COMMIT had committed this function and trigger: '
  + 'the test leaves the whole file out of pgvet\'s side';

export const KNOWN_DIFFERENCES: KnownDifference[] = [
  ...(['table', 'column', 'pk', 'index', 'rls'] as const).map((kind) => (
    { project: 'hatchet', kind, side: 'missing' as const, line: HATCHET_DAY_PARTITION, reason: HATCHET_DAY_REASON }
  )),
  { project: 'hatchet', kind: 'acl', side: 'missing', line: HATCHET_DAY_PARTITION_ACL, reason: HATCHET_DAY_REASON },
  ...(['function', 'acl', 'trigger'] as const).map((kind) => ({ project: 'civitai', kind, side: 'missing' as const, line: CIVITAI_COMMITTED, reason: CIVITAI_REASON })),
];

export interface Difference {
  kind: FactKind;
  side: 'missing' | 'extra';
  line: string;
  reason?: string;
}

const UNKNOWN = ' (unknown type)';
/** `"s"."t"."c"` of a column line, and `"s"."t"`. */
function columnOf(line: string): { column: string; relation: string } | undefined {
  const m = /^("(?:[^"\\]|\\.)*"\."(?:[^"\\]|\\.)*")\."(?:[^"\\]|\\.)*"/.exec(line);
  return m ? { column: m[0], relation: m[1] } : undefined;
}

function explains(k: KnownDifference, d: Difference, all: Difference[]): boolean {
  if (k.kind !== d.kind) return false;
  if ('line' in k) return k.side === d.side && (typeof k.line === 'string' ? k.line === d.line : k.line.test(d.line));
  const col = columnOf(d.line);
  if (!col || !k.unknownType.test(col.relation)) return false;
  const ours = d.side === 'extra' ? d : all.find((x) => x.kind === d.kind && x.side === 'extra' && x.line === col.column + UNKNOWN);
  const theirs = d.side === 'missing' ? d : all.find((x) => x.kind === d.kind && x.side === 'missing' && columnOf(x.line)?.column === col.column);
  return ours?.line === col.column + UNKNOWN && theirs !== undefined;
}

/** Splits a project's differences into listed (with their reason) and unlisted, and finds the entries that matched nothing. */
export function unexplained(project: string, diffs: SnapshotDiff[]): { listed: Difference[]; unlisted: Difference[]; stale: KnownDifference[] } {
  const known = KNOWN_DIFFERENCES.filter((k) => k.project === project);
  const all: Difference[] = diffs.flatMap((d) => [
    ...d.missing.map((line) => ({ kind: d.kind, side: 'missing' as const, line })),
    ...d.extra.map((line) => ({ kind: d.kind, side: 'extra' as const, line })),
  ]);
  const listed: Difference[] = [];
  const unlisted: Difference[] = [];
  for (const d of all) {
    const k = known.find((x) => explains(x, d, all));
    if (k) listed.push({ ...d, reason: k.reason });
    else unlisted.push(d);
  }
  const stale = known.filter((k) => !all.some((d) => explains(k, d, all)));
  return { listed, unlisted, stale };
}

/** An entry as the test prints it. */
export function describeKnown(k: KnownDifference): string {
  return 'line' in k ? `${k.side} ${k.kind}: ${String(k.line)}` : `${k.kind} of unknown type in ${String(k.unknownType)}`;
}
