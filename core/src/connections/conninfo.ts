/**
 * Reads a PostgreSQL connection string the way libpq does: a `postgres://` / `postgresql://` URL, or
 * `keyword=value` pairs. The result is the libpq keywords it sets, decoded; nothing else in pgvet takes a
 * connection string apart. Error messages never repeat a value from the string: a misplaced quote or `@`
 * can put part of a password anywhere, so only keyword names from libpq's own list are ever named.
 * No vscode import.
 */

/** The libpq keywords pgvet acts on. */
export const CONNINFO_KEYWORDS = [
  'host', 'port', 'dbname', 'user', 'password', 'sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'connect_timeout', 'application_name', 'options',
] as const;
export type ConninfoKeyword = (typeof CONNINFO_KEYWORDS)[number];
export type Conninfo = Partial<Record<ConninfoKeyword, string>>;

/** libpq keywords pgvet does not implement: refused by name rather than silently ignored. */
const UNSUPPORTED = new Set([
  'hostaddr', 'passfile', 'channel_binding', 'fallback_application_name', 'keepalives', 'keepalives_idle', 'keepalives_interval',
  'keepalives_count', 'tcp_user_timeout', 'replication', 'gssencmode', 'sslcompression', 'sslpassword', 'sslcertmode', 'sslcrl',
  'sslcrldir', 'sslsni', 'requirepeer', 'ssl_min_protocol_version', 'ssl_max_protocol_version', 'krbsrvname', 'gsslib', 'gssdelegation',
  'service', 'target_session_attrs', 'load_balance_hosts', 'sslnegotiation', 'require_auth', 'client_encoding',
]);

export class ConninfoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConninfoError';
  }
}

const isKeyword = (k: string): k is ConninfoKeyword => (CONNINFO_KEYWORDS as readonly string[]).includes(k);

export function isUrl(text: string): boolean {
  return /^postgres(ql)?:\/\//i.test(text.trim());
}

/** Parses either form; throws ConninfoError. */
export function parseConninfo(text: string): Conninfo {
  return isUrl(text) ? parseUrl(text.trim()) : parseKeywordValue(text);
}

function store(into: Conninfo, key: string, value: string, where: string): void {
  if (isKeyword(key)) into[key] = value;
  else if (UNSUPPORTED.has(key)) throw new ConninfoError(`${where} "${key}" is a libpq setting pgvet does not support; remove it.`);
}

/** `host=db port=5432 password='it''s'`: libpq's quoting (single quotes) and backslash escapes. */
export function parseKeywordValue(text: string): Conninfo {
  const out: Conninfo = {};
  let i = 0;
  let index = 0;
  const space = (c: string | undefined) => c !== undefined && /\s/.test(c);
  while (i < text.length) {
    while (space(text[i])) i++;
    if (i >= text.length) break;
    index++;
    let key = '';
    while (i < text.length && text[i] !== '=' && !space(text[i])) key += text[i++];
    while (space(text[i])) i++;
    if (text[i] !== '=') throw new ConninfoError(`the connection string's setting number ${index} has no "=" (write keyword=value; quote values with spaces in single quotes).`);
    i++;
    while (space(text[i])) i++;
    let value = '';
    if (text[i] === "'") {
      i++;
      for (;;) {
        if (i >= text.length) throw new ConninfoError(`the connection string has an unterminated quoted value (setting number ${index}).`);
        const c = text[i++];
        if (c === "'") break;
        value += c === '\\' && i < text.length ? text[i++] : c;
      }
    } else {
      while (i < text.length && !space(text[i])) {
        const c = text[i++];
        value += c === '\\' && i < text.length ? text[i++] : c;
      }
    }
    if (!isKeyword(key) && !UNSUPPORTED.has(key)) {
      throw new ConninfoError(`the connection string's setting number ${index} is not a libpq keyword (known: ${CONNINFO_KEYWORDS.join(', ')}; quote values with spaces in single quotes).`);
    }
    store(out, key, value, 'the connection string setting');
  }
  return out;
}

function decode(text: string, what: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new ConninfoError(`the URL's ${what} has an invalid percent-encoding (write %25 for a literal %).`);
  }
}

/**
 * `postgresql://[user[:password]@][host][:port][/dbname][?keyword=value&…]`, percent-decoded (`+` stays `+`,
 * as in libpq). Unlike libpq, an unencoded `@` or `/` in the password is accepted: the user part ends at the
 * last `@` before the query. Query parameters that are not libpq keywords (Prisma's `schema=…`) are ignored;
 * `ssl=true` means `sslmode=require`, as libpq accepts for JDBC compatibility.
 */
export function parseUrl(text: string): Conninfo {
  const out: Conninfo = {};
  const rest = text.replace(/^postgres(ql)?:\/\//i, '');
  const queryAt = rest.indexOf('?');
  const beforeQuery = queryAt < 0 ? rest : rest.slice(0, queryAt);
  const query = queryAt < 0 ? '' : rest.slice(queryAt + 1);
  const at = beforeQuery.lastIndexOf('@');
  if (at >= 0) {
    const userinfo = beforeQuery.slice(0, at);
    const colon = userinfo.indexOf(':');
    const user = decode(colon < 0 ? userinfo : userinfo.slice(0, colon), 'user name');
    if (user) out.user = user;
    if (colon >= 0) {
      const password = decode(userinfo.slice(colon + 1), 'password');
      if (password) out.password = password;
    }
  }
  const hostAndPath = beforeQuery.slice(at + 1);
  const slash = hostAndPath.indexOf('/');
  const netloc = slash < 0 ? hostAndPath : hostAndPath.slice(0, slash);
  if (netloc.includes(',')) throw new ConninfoError('the URL lists several hosts; pgvet connects to one host: keep the one EXPLAIN should use.');
  const bracket = /^\[([^\]]*)\](?::(.*))?$/.exec(netloc);
  const [host, port] = bracket ? [bracket[1], bracket[2]] : netloc.includes(':') ? [netloc.slice(0, netloc.lastIndexOf(':')), netloc.slice(netloc.lastIndexOf(':') + 1)] : [netloc, undefined];
  if (host) out.host = decode(host, 'host');
  if (port) {
    if (!/^\d+$/.test(port)) throw new ConninfoError('the URL\'s port is not a number (percent-encode an "@", ":" or "?" in the password as %40, %3A, %3F).');
    out.port = port;
  }
  if (slash >= 0 && hostAndPath.length > slash + 1) out.dbname = decode(hostAndPath.slice(slash + 1), 'database name');
  for (const [n, pair] of query.split('&').entries()) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    if (eq < 0) throw new ConninfoError(`the URL's query parameter number ${n + 1} has no "=".`);
    const key = decode(pair.slice(0, eq), 'query');
    const value = decode(pair.slice(eq + 1), 'query');
    if (key === 'ssl') {
      if (value !== 'true') throw new ConninfoError('the URL\'s "ssl" parameter can only be "true" (meaning sslmode=require); use sslmode instead.');
      out.sslmode = 'require';
    } else {
      store(out, key, value, 'the URL parameter');
    }
  }
  return out;
}
