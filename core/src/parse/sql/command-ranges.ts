/**
 * The text ranges of an ALTER TABLE's subcommands, read straight from the text when it holds nothing that needs
 * PostgreSQL's scanner: no comment, dollar quote, backslash or non-ASCII character. Asking the scanner (a WASM
 * call and its JSON for every ALTER TABLE a rule looks at) was a twentieth of a whole-corpus lint. `unsure` sends
 * the caller to the scanner's tokens (ast.ts `commandRanges`), whose answer this one must equal whenever it gives one.
 */

export type Ranges = { start: number; end: number }[] | null;

const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13); // space, \t \n \v \f \r: PostgreSQL's white space
const isIdentStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isIdentChar = (c: number) => isIdentStart(c) || (c >= 48 && c <= 57) || c === 36;

/** End of the identifier (bare or double-quoted) starting at `i`, or -1 when there is none the fast way. */
function identEnd(text: string, i: number, end: number): number {
  const c = text.charCodeAt(i);
  if (c === 34) {
    for (let j = i + 1; j < end; j++) {
      if (text.charCodeAt(j) !== 34) continue;
      if (text.charCodeAt(j + 1) === 34) j++;
      else return j + 1;
    }
    return -1;
  }
  if (!isIdentStart(c)) return -1;
  let j = i + 1;
  while (j < end && isIdentChar(text.charCodeAt(j))) j++;
  return j;
}

function skipSpace(text: string, i: number, end: number): number {
  while (i < end && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/**
 * The subcommands' ranges in `text` for an ALTER TABLE spanning [start, end) whose table name starts at `name`,
 * split at top-level commas (and the `;`), or null when they are not `count`; `unsure` when the text needs the scanner.
 */
export function plainCommandRanges(text: string, start: number, end: number, name: number, count: number): Ranges | 'unsure' {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    // Comments, dollar quotes, backslash escapes and non-ASCII letters or spaces: the scanner's business.
    if (c >= 128 || c === 36 || c === 92 || (c === 45 && text.charCodeAt(i + 1) === 45) || (c === 47 && text.charCodeAt(i + 1) === 42)) return 'unsure';
  }
  // The name's first token must start exactly at `name`.
  const before = name > start ? text.charCodeAt(name - 1) : 32;
  if (name >= end || !(isSpace(before) || before === 46 || before === 40 || before === 44)) return 'unsure';
  let at = identEnd(text, name, end);
  if (at < 0) return 'unsure';
  // `schema.table` (white space allowed around the dot), as qualifiedNameRange reads it.
  for (;;) {
    const dot = skipSpace(text, at, end);
    if (text.charCodeAt(dot) !== 46 || dot >= end) break;
    const next = skipSpace(text, dot + 1, end);
    if (next >= end) break;
    const after = identEnd(text, next, end);
    if (after < 0) return 'unsure';
    at = after;
  }
  const parts: { start: number; end: number }[] = [];
  let depth = 0;
  let partStart = -1; // first token of the current part
  let lastEnd = -1; // end of its last token so far
  for (let i = at; i < end; ) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (depth === 0 && (c === 44 || c === 59)) {
      if (partStart >= 0) parts.push({ start: partStart, end: lastEnd });
      partStart = -1;
      i++;
      continue;
    }
    if (partStart < 0) partStart = i;
    if (c === 40 || c === 91) depth++;
    else if (c === 41 || c === 93) depth--;
    if (c === 39 || c === 34) {
      // A string or quoted identifier: commas and brackets inside it are not structure.
      let j = i + 1;
      for (; j < end; j++) {
        if (text.charCodeAt(j) !== c) continue;
        if (text.charCodeAt(j + 1) === c) j++;
        else break;
      }
      if (j >= end) return 'unsure';
      i = j + 1;
    } else {
      i++;
    }
    lastEnd = i;
  }
  if (partStart >= 0) parts.push({ start: partStart, end: lastEnd });
  return parts.length === count ? parts : null;
}
