/**
 * The `.pgplan.json` file "Save plan" writes and "Open Saved Plan" reads back without any connection.
 * The file is the panel's plan in an envelope that names the format and its version:
 *
 *   { "format": "pgvet-plan", "version": 1, "savedAt": "2025-…Z", "plan": { …PlanView… } }
 *
 * Reading is strict where it matters (zod: the same schema the panel validates its messages with) and
 * forgiving where it is cheap: a bare plan (what pgvet 0.1 development builds saved) and plain
 * `EXPLAIN (FORMAT JSON)` output (psql, pgAdmin, a log) open too. No vscode import.
 */
import * as z from 'zod/mini';
import { redactPasswords, analyzePlan, findTips } from '../../../../core/src';
import { PlanViewSchema, type PlanSource, type PlanView } from '../protocol/messages';
import { newPlanId, toPlanView } from './plan-view';

export const SAVED_PLAN_FORMAT = 'pgvet-plan';
export const SAVED_PLAN_VERSION = 1;

const EnvelopeSchema = z.object({
  format: z.literal(SAVED_PLAN_FORMAT),
  version: z.number(),
  savedAt: z.optional(z.string()),
  plan: z.unknown(),
});

/** The file's text. The source label is redacted too: a plan opened from an older file may carry a password in it. */
export function savedPlanText(plan: PlanView, savedAt: Date = new Date()): string {
  const safe = { ...plan, source: { ...plan.source, label: redactPasswords(plan.source.label) } };
  return `${JSON.stringify({ format: SAVED_PLAN_FORMAT, version: SAVED_PLAN_VERSION, savedAt: savedAt.toISOString(), plan: safe }, null, 2)}\n`;
}

export type SavedPlanResult =
  | { ok: true; plan: PlanView; savedAt?: string; kind: 'pgvet' | 'explain-json' }
  | { ok: false; error: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function issues(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string {
  const list = error.issues.slice(0, 3).map((i) => `${i.path.map(String).join('.') || '(top level)'}: ${i.message}`);
  return list.join('; ') + (error.issues.length > 3 ? ` (and ${error.issues.length - 3} more)` : '');
}

/** EXPLAIN (FORMAT JSON) as PostgreSQL prints it, possibly inside psql's / node-postgres' `QUERY PLAN` column. */
function explainOutput(value: unknown): unknown | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  if (isObject(first) && 'QUERY PLAN' in first) return explainOutput(first['QUERY PLAN']);
  return isObject(first) && isObject(first.Plan) ? value : undefined;
}

/** What the panel says a plan from a file ran on: the file, and where the saved plan had run. */
function fileSource(fileName: string, saved?: { source: PlanSource; savedAt?: string }): PlanSource {
  if (!saved) return { kind: 'file', label: `EXPLAIN output read from ${fileName}` };
  const when = saved.savedAt && !Number.isNaN(Date.parse(saved.savedAt)) ? `, saved ${saved.savedAt.slice(0, 16).replace('T', ' ')} UTC` : '';
  // Files saved by pgvet 0.1 development builds could hold a connection string's password in this label.
  return { kind: 'file', label: `saved plan ${fileName}${when} — it ran on ${redactPasswords(saved.source.label)}` };
}

/**
 * Reads a saved plan; `fileName` names the file in the panel's "Ran on" line. The plan gets a fresh
 * id, so opening the same file twice gives two distinct plans to compare.
 */
export function parseSavedPlan(text: string, fileName: string): SavedPlanResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `not valid JSON (${e instanceof Error ? e.message : String(e)})` };
  }
  const envelope = EnvelopeSchema.safeParse(value);
  if (envelope.success && envelope.data.version > SAVED_PLAN_VERSION) {
    return { ok: false, error: `saved by a newer pgvet (format version ${envelope.data.version}; this one reads version ${SAVED_PLAN_VERSION}): update pgvet to open it` };
  }
  const candidate = envelope.success ? envelope.data.plan : value;
  if (isObject(candidate) && ('nodes' in candidate || 'planId' in candidate || envelope.success)) {
    const plan = PlanViewSchema.safeParse(candidate);
    if (!plan.success) return { ok: false, error: `not a valid pgvet plan: ${issues(plan.error)}` };
    const savedAt = envelope.success ? envelope.data.savedAt : undefined;
    const source = fileSource(fileName, { source: plan.data.source, savedAt });
    return { ok: true, kind: 'pgvet', plan: { ...plan.data, planId: newPlanId(), source }, ...(savedAt ? { savedAt } : {}) };
  }
  const raw = explainOutput(value);
  if (raw !== undefined) {
    try {
      const analyzed = analyzePlan(raw);
      return { ok: true, kind: 'explain-json', plan: toPlanView({ plan: analyzed, tips: findTips(analyzed), source: fileSource(fileName) }) };
    } catch (e) {
      const detail = isObject(e) && Array.isArray(e.issues) ? issues(e as never) : e instanceof Error ? e.message : String(e);
      return { ok: false, error: `EXPLAIN (FORMAT JSON) output that pgvet cannot read: ${detail}` };
    }
  }
  return { ok: false, error: 'neither a pgvet plan (a .pgplan.json from "Save plan") nor EXPLAIN (FORMAT JSON) output' };
}
