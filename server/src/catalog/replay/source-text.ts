import type { ReplayContext } from './context';

/**
 * Source text of expressions (defaults, predicates, policy clauses). The parser gives only start locations,
 * so the end is found by scanning the file text with quotes, comments and parentheses in mind.
 */

/** Index just past a quoted string, quoted identifier, dollar-quoted body or comment starting at `i`, or -1. */
function skipQuoted(text: string, i: number): number {
  const c = text[i];
  if (c === "'" || c === '"') {
    for (let j = i + 1; j < text.length; j++) {
      if (text[j] === c) {
        if (text[j + 1] === c) j++;
        else return j + 1;
      }
    }
    return text.length;
  }
  if (c === '-' && text[i + 1] === '-') {
    const nl = text.indexOf('\n', i);
    return nl < 0 ? text.length : nl + 1;
  }
  if (c === '/' && text[i + 1] === '*') {
    const close = text.indexOf('*/', i + 2);
    return close < 0 ? text.length : close + 2;
  }
  if (c === '$') {
    const tag = /^\$[A-Za-z_]*\$/.exec(text.slice(i, i + 64))?.[0];
    if (tag) {
      const close = text.indexOf(tag, i + tag.length);
      return close < 0 ? text.length : close + tag.length;
    }
  }
  return -1;
}

/** Index of the `)` that closes the `(` at `open` (or `limit` when unbalanced). */
export function matchingParen(text: string, open: number, limit = text.length): number {
  let depth = 0;
  for (let i = open; i < limit; ) {
    const skip = skipQuoted(text, i);
    if (skip >= 0) { i = skip; continue; }
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i;
    i++;
  }
  return limit;
}

/** The text inside the parentheses that follow `from` (the first `(` at or after it). */
export function parenthesizedAfter(text: string, from: number, limit: number): string | undefined {
  const open = text.indexOf('(', from);
  if (open < 0 || open >= limit) return undefined;
  return text.slice(open + 1, matchingParen(text, open, limit)).trim();
}

/** The smallest `location` anywhere in an AST subtree: where the expression's text starts. */
export function minLocation(node: unknown): number | undefined {
  let min: number | undefined;
  const visit = (n: unknown): void => {
    if (Array.isArray(n)) { n.forEach(visit); return; }
    if (!n || typeof n !== 'object') return;
    for (const [k, v] of Object.entries(n)) {
      if (k === 'location' && typeof v === 'number' && v >= 0) min = min === undefined ? v : Math.min(min, v);
      else if (typeof v === 'object') visit(v);
    }
  };
  visit(node);
  return min;
}

const DEFAULT_STOPS = /^(not|null|constraint|primary|references|unique|check|collate|generated|default)\b/i;

/** Source text of an expression node: from its first location to the end of its clause. */
export function expressionText(ctx: ReplayContext, node: unknown, stops: RegExp = DEFAULT_STOPS): string | undefined {
  const loc = minLocation(node);
  if (loc === undefined) return undefined;
  const text = ctx.text;
  const limit = ctx.stmt.end;
  let start = ctx.stmt.toFileOffset(loc);
  // Opening parentheses just before the first location belong to the expression: `DEFAULT (a + 1) * 2`.
  for (let j = start - 1; j >= ctx.stmt.start && /[\s(]/.test(text[j]); j--) if (text[j] === '(') start = j;
  let depth = 0;
  let i = start;
  let first = true;
  while (i < limit) {
    const skip = skipQuoted(text, i);
    if (skip >= 0) { i = skip; first = false; continue; }
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') { if (depth === 0) break; depth--; }
    else if (depth === 0 && (c === ',' || c === ';')) break;
    else if (depth === 0 && !first && /[A-Za-z]/.test(c) && !/[A-Za-z0-9_$.]/.test(text[i - 1] ?? '') && stops.test(text.slice(i, i + 12))) break;
    if (!/\s/.test(c)) first = false;
    i++;
  }
  return text.slice(start, i).trim() || undefined;
}

/** Text after the first whole word `keyword` at parenthesis depth 0 of the statement, in parentheses. */
export function clauseInParens(ctx: ReplayContext, keyword: RegExp): string | undefined {
  const text = ctx.text;
  const limit = ctx.stmt.end;
  let depth = 0;
  for (let i = ctx.stmt.start; i < limit; ) {
    const skip = skipQuoted(text, i);
    if (skip >= 0) { i = skip; continue; }
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && !/[A-Za-z0-9_$]/.test(text[i - 1] ?? '')) {
      const m = keyword.exec(text.slice(i, i + 40));
      if (m && m.index === 0) return parenthesizedAfter(text, i + m[0].length, limit);
    }
    i++;
  }
  return undefined;
}

/** Text after the depth-0 word `keyword` up to the end of the statement (a partial index's WHERE). */
export function tailAfter(ctx: ReplayContext, keyword: RegExp): string | undefined {
  const text = ctx.text;
  const limit = ctx.stmt.end;
  let depth = 0;
  let found: number | undefined;
  for (let i = ctx.stmt.start; i < limit; ) {
    const skip = skipQuoted(text, i);
    if (skip >= 0) { i = skip; continue; }
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && !/[A-Za-z0-9_$]/.test(text[i - 1] ?? '')) {
      const m = keyword.exec(text.slice(i, i + 20));
      if (m && m.index === 0) found = i + m[0].length;
    }
    i++;
  }
  return found === undefined ? undefined : text.slice(found, limit).replace(/;\s*$/, '').trim();
}
