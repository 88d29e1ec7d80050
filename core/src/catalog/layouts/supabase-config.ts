/**
 * The one setting pgvet reads from `supabase/config.toml`: `[api] schemas`, the schemas the Data API (PostgREST)
 * exposes. Not a TOML parser: it finds the `[api]` table and reads one array of strings, and says what it could not
 * read instead of guessing (the caller then keeps the default).
 */

export interface SupabaseApiSettings {
  /** The path of config.toml. */
  file: string;
  /** `[api] schemas`, when the file sets it and it could be read. */
  schemas?: string[];
  /** Why the setting could not be read (the file is then ignored). */
  problem?: string;
}

/** Drops a `#` comment that is not inside a string (TOML's basic "…" and literal '…' strings). */
function stripComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#') return line.slice(0, i);
  }
  return line;
}

/** The strings of a TOML array body (`"a", 'b',`); undefined when something else is in it. */
function arrayStrings(body: string): string[] | undefined {
  const out: string[] = [];
  const item = /\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)')\s*(,|$)/y;
  let at = 0;
  while (at < body.length && /\S/.test(body.slice(at))) {
    item.lastIndex = at;
    const m = item.exec(body);
    if (!m) return undefined;
    out.push(m[1] !== undefined ? m[1].replace(/\\(["\\])/g, '$1') : m[2]);
    at = item.lastIndex;
    if (m[3] === '') break;
  }
  return out;
}

export function readSupabaseApiSettings(file: string, text: string): SupabaseApiSettings {
  const lines = text.split(/\r?\n/).map(stripComment);
  let table = '';
  for (let k = 0; k < lines.length; k++) {
    const header = /^\s*\[\s*([^\]]+?)\s*\]\s*$/.exec(lines[k]);
    if (header) { table = header[1].replace(/\s+/g, ''); continue; }
    const key = /^\s*schemas\s*=\s*(.*)$/.exec(lines[k]);
    if (table !== 'api' || !key) continue;
    // The array may span lines: gather up to the closing bracket.
    let value = key[1];
    while (!value.includes(']') && k + 1 < lines.length) value += ' ' + lines[++k];
    const array = /^\s*\[([\s\S]*)\]\s*$/.exec(value);
    const schemas = array ? arrayStrings(array[1]) : undefined;
    if (!schemas) return { file, problem: `[api] schemas is not an array of strings in ${file}` };
    return { file, schemas };
  }
  return { file };
}
