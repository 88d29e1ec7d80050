/**
 * Tokens of the Prisma Schema Language. Offsets are JavaScript string indices, i.e. UTF-16
 * code units, which is what editors use, so no conversion is ever needed.
 *
 * Newlines are tokens because PSL is line-oriented (one field per line). Comments are not:
 * they run to the end of the line (or to `*\/`), so the parser never meets them between
 * tokens and attaches them to fields and blocks by position instead.
 */

export type TokenKind = 'ident' | 'string' | 'number' | 'punct' | 'newline' | 'invalid' | 'eof';

export interface Token {
  kind: TokenKind;
  start: number;
  end: number;
  /** Identifier name, punctuation text (`@@`, `{`…), number text or the unescaped string. */
  value: string;
}

export interface Comment {
  /** `//` line comment, `///` doc comment, or `/* … *\/` block comment. */
  kind: 'line' | 'doc' | 'block';
  start: number;
  end: number;
  /** The text without the comment markers, not trimmed. */
  text: string;
}

export interface LexError {
  message: string;
  start: number;
  end: number;
}

export interface LexResult {
  tokens: Token[];
  comments: Comment[];
  errors: LexError[];
}

const enum Ch {
  Tab = 9, LF = 10, CR = 13, Space = 32, Quote = 34, Minus = 45, Dot = 46, Slash = 47,
  Zero = 48, Nine = 57, At = 64, Backslash = 92, Underscore = 95, Star = 42,
}

function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= Ch.Zero && c <= Ch.Nine) || c === Ch.Underscore;
}

/** PSL identifiers may contain `-` after the first character (e.g. generator names). */
function isIdentPart(c: number): boolean {
  return isIdentStart(c) || c === Ch.Minus;
}

function isDigit(c: number): boolean {
  return c >= Ch.Zero && c <= Ch.Nine;
}

const PUNCT = new Set(['{', '}', '(', ')', '[', ']', ',', ':', '=', '?', '.', '!']);

export function lexPrisma(text: string): LexResult {
  const tokens: Token[] = [];
  const comments: Comment[] = [];
  const errors: LexError[] = [];
  const n = text.length;
  let i = 0;

  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === Ch.Space || c === Ch.Tab || c === 0xfeff) { i++; continue; }
    if (c === Ch.LF || c === Ch.CR) {
      const start = i;
      i += c === Ch.CR && text.charCodeAt(i + 1) === Ch.LF ? 2 : 1;
      tokens.push({ kind: 'newline', start, end: i, value: '\n' });
      continue;
    }
    if (c === Ch.Slash && text.charCodeAt(i + 1) === Ch.Slash) {
      const start = i;
      const doc = text.charCodeAt(i + 2) === Ch.Slash;
      let j = i + (doc ? 3 : 2);
      const textStart = j;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === Ch.LF || d === Ch.CR) break;
        j++;
      }
      comments.push({ kind: doc ? 'doc' : 'line', start, end: j, text: text.slice(textStart, j) });
      i = j;
      continue;
    }
    if (c === Ch.Slash && text.charCodeAt(i + 1) === Ch.Star) {
      // Not in Prisma's documentation, but accepted by its parser and used in real schemas.
      const start = i;
      const close = text.indexOf('*/', i + 2);
      const end = close < 0 ? n : close + 2;
      if (close < 0) errors.push({ message: 'Unterminated block comment: missing `*/`.', start, end: Math.min(n, start + 2) });
      comments.push({ kind: 'block', start, end, text: text.slice(start + 2, close < 0 ? n : close) });
      i = end;
      continue;
    }
    if (c === Ch.Quote) {
      i = lexString(text, i, tokens, errors);
      continue;
    }
    if (c === Ch.At) {
      const double = text.charCodeAt(i + 1) === Ch.At;
      tokens.push({ kind: 'punct', start: i, end: i + (double ? 2 : 1), value: double ? '@@' : '@' });
      i += double ? 2 : 1;
      continue;
    }
    if (isDigit(c) || (c === Ch.Minus && isDigit(text.charCodeAt(i + 1)))) {
      const start = i;
      let j = c === Ch.Minus ? i + 1 : i;
      while (j < n && isDigit(text.charCodeAt(j))) j++;
      if (text.charCodeAt(j) === Ch.Dot && isDigit(text.charCodeAt(j + 1))) {
        j++;
        while (j < n && isDigit(text.charCodeAt(j))) j++;
      }
      // `1abc` is an identifier in PSL (identifiers may start with a digit).
      if (c !== Ch.Minus && j < n && isIdentPart(text.charCodeAt(j)) && !text.slice(start, j).includes('.')) {
        while (j < n && isIdentPart(text.charCodeAt(j))) j++;
        tokens.push({ kind: 'ident', start, end: j, value: text.slice(start, j) });
      } else {
        tokens.push({ kind: 'number', start, end: j, value: text.slice(start, j) });
      }
      i = j;
      continue;
    }
    if (isIdentStart(c)) {
      const start = i;
      let j = i + 1;
      while (j < n && isIdentPart(text.charCodeAt(j))) j++;
      tokens.push({ kind: 'ident', start, end: j, value: text.slice(start, j) });
      i = j;
      continue;
    }
    const ch = text[i];
    if (PUNCT.has(ch)) {
      tokens.push({ kind: 'punct', start: i, end: i + 1, value: ch });
      i++;
      continue;
    }
    // One whole code point, so a stray emoji is one token rather than two halves.
    const width = c >= 0xd800 && c <= 0xdbff && i + 1 < n ? 2 : 1;
    tokens.push({ kind: 'invalid', start: i, end: i + width, value: text.slice(i, i + width) });
    i += width;
  }
  tokens.push({ kind: 'eof', start: n, end: n, value: '' });
  return { tokens, comments, errors };
}

function lexString(text: string, start: number, tokens: Token[], errors: LexError[]): number {
  const n = text.length;
  let j = start + 1;
  let value = '';
  let chunk = j;
  while (j < n) {
    const d = text.charCodeAt(j);
    if (d === Ch.Quote) {
      value += text.slice(chunk, j);
      tokens.push({ kind: 'string', start, end: j + 1, value });
      return j + 1;
    }
    if (d === Ch.LF || d === Ch.CR) break;
    if (d === Ch.Backslash && j + 1 < n) {
      value += text.slice(chunk, j);
      const e = text[j + 1];
      if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(j + 2, j + 6))) {
        value += String.fromCharCode(parseInt(text.slice(j + 2, j + 6), 16));
        j += 6;
      } else {
        value += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e;
        j += 2;
      }
      chunk = j;
      continue;
    }
    j++;
  }
  value += text.slice(chunk, j);
  errors.push({ message: 'Unterminated string: missing closing `"` before the end of the line.', start, end: j });
  tokens.push({ kind: 'string', start, end: j, value });
  return j;
}
