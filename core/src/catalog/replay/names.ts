import { scanSync } from '../../parse/sql/libpg';

/** PostgreSQL's NAMEDATALEN - 1: the longest identifier, in bytes. */
export const MAX_IDENTIFIER_BYTES = 63;

const encoder = new TextEncoder();

function byteLength(s: string): number {
  return encoder.encode(s).length;
}

/** The longest prefix of `s` of at most `bytes` UTF-8 bytes that does not split a character (pg_mbcliplen). */
export function clipBytes(s: string, bytes: number): string {
  let out = '';
  let used = 0;
  for (const ch of s) {
    const n = byteLength(ch);
    if (used + n > bytes) break;
    out += ch;
    used += n;
  }
  return out;
}

/** PostgreSQL's makeObjectName: `name1_name2_label`, shortening the longer of name1/name2 first to fit 63 bytes. */
export function makeObjectName(name1: string, name2: string | undefined, label: string | undefined): string {
  let overhead = 0;
  let n1 = byteLength(name1);
  let n2 = name2 === undefined ? 0 : byteLength(name2);
  if (name2 !== undefined) overhead++;
  if (label !== undefined) overhead += byteLength(label) + 1;
  const avail = MAX_IDENTIFIER_BYTES - overhead;
  while (n1 + n2 > avail) {
    if (n1 > n2) n1--;
    else n2--;
  }
  let result = clipBytes(name1, n1);
  if (name2 !== undefined) result += '_' + clipBytes(name2, n2);
  if (label !== undefined) result += '_' + label;
  return result;
}

/**
 * PostgreSQL's choice loop: `label`, then `label1`, `label2` … until `taken` says no. With `memo` (see
 * name-cache.ts; `kind` names the `taken` test) it starts at the attempt the last choice of the same name reached.
 */
export function chooseName(name1: string, name2: string | undefined, label: string, taken: (name: string) => boolean,
  memo?: { attempts: Map<string, number> | undefined; kind: string }): string {
  const key = `${memo?.kind}\0${name1}\0${name2 === undefined ? '\u0001' : name2}\0${label}`;
  for (let pass = memo?.attempts?.get(key) ?? 0; ; pass++) {
    const name = makeObjectName(name1, name2, pass === 0 ? label : `${label}${pass}`);
    if (taken(name)) continue;
    memo?.attempts?.set(key, pass);
    return name;
  }
}

/** ChooseIndexNameAddition / ChooseForeignKeyConstraintNameAddition: names joined by `_`, stopping once past 63 bytes. */
export function nameAddition(names: string[]): string {
  let buf = '';
  for (const name of names) {
    if (buf.length > 0) buf += '_';
    buf += name;
    if (byteLength(buf) >= MAX_IDENTIFIER_BYTES + 1) break;
  }
  return buf; // makeObjectName does the truncating
}

/** ChooseIndexColumnNames: a repeated column name gets a numeric suffix (`a`, `a1`). */
export function dedupeColumnNames(names: string[]): string[] {
  const out: string[] = [];
  for (const orig of names) {
    let cur = orig;
    for (let i = 1; out.includes(cur); i++) {
      const n = String(i);
      cur = clipBytes(orig, MAX_IDENTIFIER_BYTES - n.length) + n;
    }
    out.push(cur);
  }
  return out;
}

/** Identifiers longer than 63 bytes are truncated by PostgreSQL's scanner; names built from strings need the same. */
export function truncateIdentifier(name: string): string {
  return byteLength(name) > MAX_IDENTIFIER_BYTES ? clipBytes(name, MAX_IDENTIFIER_BYTES) : name;
}

const keywordCache = new Map<string, boolean>();

/** Whether `word` is a PostgreSQL keyword that quote_ident must quote (anything but an unreserved keyword). */
function isQuotedKeyword(word: string): boolean {
  let quoted = keywordCache.get(word);
  if (quoted === undefined) {
    const kind = scanSync(word).tokens[0]?.keywordName;
    quoted = kind !== undefined && kind !== 'NO_KEYWORD' && kind !== 'UNRESERVED_KEYWORD';
    keywordCache.set(word, quoted);
  }
  return quoted;
}

/** PostgreSQL's quote_identifier: quotes unless the name is lower-case, simple and not a keyword. */
export function quoteIdent(name: string): string {
  if (/^[a-z_][a-z0-9_]*$/.test(name) && !isQuotedKeyword(name)) return name;
  return `"${name.replace(/"/g, '""')}"`;
}
