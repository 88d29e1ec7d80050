import { createHash } from 'node:crypto';
import { objectLabel } from '../rule-kit/object-identity';
import type { Finding, ObjectIdentity } from '../rule-kit/types';

/**
 * Stable fingerprints of findings, for baselines (pgvet-baseline.json) and SARIF `partialFingerprints`. Never line
 * numbers: a finding keeps its fingerprint when lines above it move.
 *
 * - A schema problem (a finding with `object`): the rule, the schema's home (the history's folder relative to the
 *   project; a Prisma schema's is the migrations folder it is checked against, else its own folder) and the
 *   object's identity. No file: the same problem has the same fingerprint on a Prisma model and on the migration
 *   that created the object, and after the object's statement moves to another file; one repository holding two
 *   databases with a table of the same name keeps their problems apart.
 * - Any other finding: the rule, the file's path relative to the project (the folder of the baseline), a hash of
 *   its statement's text with runs of whitespace made one space (the finding's own text when it is in no
 *   statement), and which occurrence of that triple it is in the file (0, 1, …, in text order). Editing the
 *   statement or renaming the file makes it a new finding; adding statements around it does not.
 */
export interface FindingKey {
  /** `o:` and the object's identity, or `s:` the statement text's hash and the occurrence index. */
  key: string;
  /** Short text for a person reading the baseline: the object, or the statement's first words. */
  where: string;
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

const normalise = (text: string) => text.replace(/\s+/g, ' ').trim();

export function objectKey(o: ObjectIdentity): string {
  return JSON.stringify([o.kind, o.schema, o.table, o.name ?? null, o.columns ?? null, o.aspect ?? null]);
}

/**
 * The position-free part of each finding's fingerprint (the path is added by `fingerprint`, which knows the
 * project). `spanOf` gives the statement a finding is in (undefined when it is in none).
 */
export function findingKeys(findings: readonly Finding[], text: string, spanOf: (f: Finding) => { start: number; end: number } | undefined): FindingKey[] {
  const seen = new Map<string, number>();
  const order = findings.map((f, i) => i).sort((a, b) => findings[a].start - findings[b].start || a - b);
  const keys: FindingKey[] = new Array(findings.length);
  for (const i of order) {
    const f = findings[i];
    if (f.object) {
      keys[i] = { key: `o:${objectKey(f.object)}`, where: objectLabel(f.object) };
      continue;
    }
    const span = spanOf(f) ?? f;
    const statement = normalise(text.slice(span.start, span.end));
    const base = `${f.ruleId}\0${hash(statement)}`;
    const occurrence = seen.get(base) ?? 0;
    seen.set(base, occurrence + 1);
    const words = statement.length > 60 ? `${statement.slice(0, 57)}…` : statement;
    keys[i] = { key: `s:${hash(statement)}:${occurrence}`, where: words || '(empty)' };
  }
  return keys;
}

/**
 * The finding's fingerprint: 16 hex digits of a hash of the rule, the key and `place`, relative to the project: the
 * schema's home for a schema problem, the file for any other finding.
 */
export function fingerprint(ruleId: string, key: string, place: string): string {
  return hash(`${ruleId}\0${place.split('\\').join('/')}\0${key}`);
}

/** Whether a key is a schema problem's (its place is the schema's home, not the file). */
export const isObjectKey = (key: string) => key.startsWith('o:');
