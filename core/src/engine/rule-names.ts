import { RULES } from '../rules';

/** Edit distance (insertions, deletions, substitutions) between two short strings. */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length];
}

/** The rule id closest to `id`, when it is close enough to be a typo of it. */
export function closestRuleId(id: string): string | undefined {
  let best: { id: string; d: number } | undefined;
  for (const rule of RULES) {
    const d = distance(id.toLowerCase(), rule.id);
    if (!best || d < best.d) best = { id: rule.id, d };
  }
  return best && best.d <= Math.max(2, Math.floor(id.length / 3)) ? best.id : undefined;
}

/** "unknown rule 'foo' — did you mean 'bar'?" (the question only when a rule id is close). */
export function unknownRuleMessage(id: string): string {
  const near = closestRuleId(id);
  return `unknown rule '${id}'${near ? ` — did you mean '${near}'?` : ''}`;
}
