import { fieldsOf } from '../../parse/sql/nodes';
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

/**
 * The items of the parenthesized list that opens at the first `(` at or after `from` (an index's key list,
 * an EXCLUDE's elements): their spans, split at the list's own commas.
 */
export function listItemSpans(text: string, from: number, limit: number): { start: number; end: number }[] {
  let open = -1;
  for (let i = from; i < limit; ) {
    const skip = skipQuoted(text, i);
    if (skip >= 0) { i = skip; continue; }
    if (text[i] === '(') { open = i; break; }
    i++;
  }
  if (open < 0) return [];
  const close = matchingParen(text, open, limit);
  const spans: { start: number; end: number }[] = [];
  let depth = 0;
  let start = open + 1;
  for (let i = open + 1; i < close; ) {
    const skip = skipQuoted(text, i);
    if (skip >= 0) { i = skip; continue; }
    const c = text[i];
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (c === ',' && depth === 0) { spans.push({ start, end: i }); start = i + 1; }
    i++;
  }
  spans.push({ start, end: close });
  return spans.map(({ start: s, end: e }) => {
    while (s < e && /\s/.test(text[s])) s++;
    while (e > s && /\s/.test(text[e - 1])) e--;
    return { start: s, end: e };
  });
}

/**
 * The expression an index element starts with: `(expr)` (returned without its parentheses) or a function call
 * `lower(name)`; what follows it (COLLATE, operator class, ASC/DESC, NULLS, WITH op) is not part of it.
 */
export function leadingExpression(text: string, span: { start: number; end: number }): string | undefined {
  if (text[span.start] === '(') return text.slice(span.start + 1, matchingParen(text, span.start, span.end)).trim();
  for (let i = span.start; i < span.end; ) {
    const skip = skipQuoted(text, i);
    if (skip >= 0) { i = skip; continue; }
    if (text[i] === '(') return text.slice(span.start, matchingParen(text, i, span.end) + 1).trim();
    i++;
  }
  return undefined;
}

/** The smallest `location` anywhere in an AST subtree: where the expression's text starts. */
export function minLocation(node: unknown): number | undefined {
  let min: number | undefined;
  const visit = (n: unknown): void => {
    if (Array.isArray(n)) { n.forEach(visit); return; }
    if (!n || typeof n !== 'object') return;
    for (const [k, v] of fieldsOf(n)) {
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
    // Brackets nest like parentheses: `ARRAY['a', 'b']` and `x[1:2]` hold commas and colons of their own.
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') { if (depth === 0) break; depth--; }
    else if (depth === 0 && (c === ',' || c === ';')) break;
    else if (depth === 0 && !first && /[A-Za-z]/.test(c) && !/[A-Za-z0-9_$.]/.test(text[i - 1] ?? '') && stops.test(text.slice(i, i + 12))) break;
    if (!/\s/.test(c)) first = false;
    i++;
  }
  return text.slice(start, i).trim() || undefined;
}

/**
 * The offsets just after each whole word `keyword` at parenthesis depth 0 of the statement (quotes and comments
 * skipped), in order; `visit` returns true to stop. `window`: how far a match may reach.
 */
function depthZeroKeywords(ctx: ReplayContext, keyword: RegExp, window: number, visit: (after: number) => boolean): void {
  const text = ctx.text;
  let depth = 0;
  for (let i = ctx.stmt.start; i < ctx.stmt.end; ) {
    const skip = skipQuoted(text, i);
    if (skip >= 0) { i = skip; continue; }
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && !/[A-Za-z0-9_$]/.test(text[i - 1] ?? '')) {
      const m = keyword.exec(text.slice(i, i + window));
      if (m && m.index === 0 && visit(i + m[0].length)) return;
    }
    i++;
  }
}

/** Text after the first whole word `keyword` at parenthesis depth 0 of the statement, in parentheses. */
export function clauseInParens(ctx: ReplayContext, keyword: RegExp): string | undefined {
  let found: number | undefined;
  depthZeroKeywords(ctx, keyword, 40, (after) => ((found = after), true));
  return found === undefined ? undefined : parenthesizedAfter(ctx.text, found, ctx.stmt.end);
}

/** Text after the last depth-0 word `keyword` up to the end of the statement (a partial index's WHERE). */
export function tailAfter(ctx: ReplayContext, keyword: RegExp): string | undefined {
  let found: number | undefined;
  depthZeroKeywords(ctx, keyword, 20, (after) => ((found = after), false));
  return found === undefined ? undefined : ctx.text.slice(found, ctx.stmt.end).replace(/;\s*$/, '').trim();
}
