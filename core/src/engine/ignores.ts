import type { Comment } from '../parse/sql/lexer';
import type { SqlFile } from '../parse/sql/parser';

/** One `pgvet-ignore` / `pgvet-ignore-file` comment. */
export interface IgnoreDirective {
  comment: Comment;
  scope: 'statement' | 'file';
  /** Rule ids named in the comment with their ranges; empty means every rule. */
  rules: { id: string; start: number; end: number }[];
  /** For `statement` scope: the statement it applies to (undefined when none follows). */
  statementIndex?: number;
}

const DIRECTIVE = /^(?:--|\/\*)\s*pgvet-ignore(-file)?(?=\s|$|\*\/)/;

export function findIgnoreDirectives(file: SqlFile): IgnoreDirective[] {
  const out: IgnoreDirective[] = [];
  let s = 0;
  for (const comment of file.comments) {
    const text = file.text.slice(comment.start, comment.end);
    const m = DIRECTIVE.exec(text);
    if (!m) continue;
    const listStart = m[0].length;
    let listText = text.slice(listStart);
    if (comment.kind === 'block') listText = listText.replace(/\*\/$/, '');
    // Anything after `--` (a second comment) is a reason, not rules: "-- pgvet-ignore rule -- why".
    const reasonAt = listText.indexOf('--');
    if (reasonAt >= 0) listText = listText.slice(0, reasonAt);
    const rules: IgnoreDirective['rules'] = [];
    const re = /[a-z0-9][a-z0-9-]*/g;
    let r: RegExpExecArray | null;
    while ((r = re.exec(listText))) {
      const start = comment.start + listStart + r.index;
      rules.push({ id: r[0], start, end: start + r[0].length });
    }
    if (m[1]) {
      out.push({ comment, scope: 'file', rules });
      continue;
    }
    // The statement that contains the comment, or else the next one after it.
    while (s < file.statements.length && file.statements[s].end <= comment.start) s++;
    const target = file.statements[s];
    out.push({ comment, scope: 'statement', rules, statementIndex: target?.index });
  }
  return out;
}

/** What an ignore comment of either language (SQL `--`, Prisma `//`) names: rule ids with their ranges, none meaning every rule. */
export interface RuleList {
  rules: readonly { id: string; start: number; end: number }[];
}

export function directiveCovers(d: RuleList, ruleId: string): boolean {
  return d.rules.length === 0 || d.rules.some((r) => r.id === ruleId);
}

/**
 * Drops the findings an ignore comment covers, SQL and Prisma alike. `candidates(f)` lists the comments that
 * apply where `f` is, most specific first (the statement's or declaration's, then the file's): the first that
 * names f's rule suppresses it and is credited with it, so a redundant file-wide comment shows up as unused.
 */
export function applyIgnores<D extends RuleList, F extends { ruleId: string }>(findings: readonly F[], candidates: (f: F) => Iterable<D>): { kept: F[]; used: Map<D, Set<string>> } {
  const used = new Map<D, Set<string>>();
  const kept = findings.filter((f) => {
    for (const d of candidates(f)) {
      if (!directiveCovers(d, f.ruleId)) continue;
      let s = used.get(d);
      if (!s) used.set(d, (s = new Set()));
      s.add(f.ruleId);
      return false;
    }
    return true;
  });
  return { kept, used };
}

/**
 * What of an ignore comment suppressed nothing: `'whole'` for a comment naming no rule that suppressed
 * nothing, else the named rules that suppressed nothing (`unused-ignore` itself never counts as unused).
 */
export function unusedParts<D extends RuleList>(d: D, usedRules: ReadonlySet<string> | undefined): 'whole' | D['rules'][number][] {
  if (d.rules.length === 0) return usedRules?.size ? [] : 'whole';
  return d.rules.filter((r) => r.id !== 'unused-ignore' && !usedRules?.has(r.id));
}
