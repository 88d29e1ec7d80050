import type { Comment } from './lexer';
import type { IgnoreDirective } from './ast';

const DIRECTIVE = /^\s*pgvet-ignore(-file)?(?=\s|$)/;
const MARKER_LENGTH: Record<Comment['kind'], number> = { line: 2, doc: 3, block: 2 };

/**
 * `// pgvet-ignore rule-a rule-b -- why` (same syntax as in SQL files, with `//` in place of `--`).
 * Returns undefined for ordinary comments.
 */
export function parseIgnoreDirective(comment: Comment): IgnoreDirective | undefined {
  const m = DIRECTIVE.exec(comment.text);
  if (!m) return undefined;
  let list = comment.text.slice(m[0].length);
  // Anything after `--` is a reason, not rules.
  const reasonAt = list.indexOf('--');
  if (reasonAt >= 0) list = list.slice(0, reasonAt);
  const base = comment.start + MARKER_LENGTH[comment.kind] + m[0].length;
  const rules: IgnoreDirective['rules'] = [];
  const re = /[a-z0-9][a-z0-9-]*/g;
  let r: RegExpExecArray | null;
  while ((r = re.exec(list))) rules.push({ id: r[0], start: base + r.index, end: base + r.index + r[0].length });
  return { scope: m[1] ? 'file' : 'node', rules, start: comment.start, end: comment.end };
}
