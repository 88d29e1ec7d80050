/**
 * Value generators for sample rows: one per PostgreSQL base type, producing the text form PostgreSQL
 * accepts for that type (sent as a parameter and cast to the column type). Pure and seeded.
 */

/** mulberry32: small, fast, and the same sequence on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function hashString(s: string): number {
  let h = 2166136261;
  for (let k = 0; k < s.length; k++) h = Math.imul(h ^ s.charCodeAt(k), 16777619);
  return h >>> 0;
}

/** What the generator knows about a column's type, resolved through domains down to the base type. */
export interface TypeShape {
  /** pg_type.typname of the base type (`int4`, `varchar`, `_text` is resolved into `array`). */
  base: string;
  /** Type modifier of the base type (varchar length, numeric precision/scale, bit length), -1 when none. */
  typmod: number;
  /** Element shape for arrays. */
  element?: TypeShape;
  /** Enum labels, in order. */
  labels?: string[];
}

/** Bounds and choices read from simple CHECK constraints on one column. */
export interface ColumnLimits {
  min?: number;
  max?: number;
  /** Exclusive bounds are turned into inclusive ones on integers; kept as a flag for the rest. */
  minExclusive?: boolean;
  maxExclusive?: boolean;
  choices?: string[];
  minLength?: number;
  maxLength?: number;
}

export interface ValueContext {
  /** Row number within this load, 0-based. */
  i: number;
  random: () => number;
  /** Values must differ between rows (the column carries a unique key). */
  distinct: boolean;
  /** Added to the row number for distinct integers, to start above existing rows. */
  offset: number;
  column: string;
  /** Table name, so distinct text differs between tables too (triggers compare names across tables). */
  table: string;
  limits: ColumnLimits;
}

/** Result of a generator: the text value, `null`, or `undefined` when it cannot produce one (e.g. too few distinct values). */
export type Generated = string | null | undefined;
export type Generator = (ctx: ValueContext) => Generated;

const BASE_TIME = Date.UTC(2024, 0, 1);
const DAY = 86_400_000;
const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet', 'kilo', 'lima'];

function int(ctx: ValueContext, lo: number, hi: number): number {
  return lo + Math.floor(ctx.random() * (hi - lo + 1));
}

function pick<T>(ctx: ValueContext, list: readonly T[]): T {
  return list[Math.floor(ctx.random() * list.length)];
}

function integerRange(ctx: ValueContext, typeMax: number): [number, number] {
  let lo = ctx.limits.min !== undefined ? Math.ceil(ctx.limits.min + (ctx.limits.minExclusive ? 1e-9 : 0)) : 1;
  let hi = ctx.limits.max !== undefined ? Math.floor(ctx.limits.max - (ctx.limits.maxExclusive ? 1e-9 : 0)) : typeMax;
  lo = Math.max(lo, -typeMax - 1);
  hi = Math.min(hi, typeMax);
  return [lo, hi];
}

function integer(typeMax: number): Generator {
  return (ctx) => {
    const [lo, hi] = integerRange(ctx, typeMax);
    if (ctx.distinct) {
      const v = lo + ctx.offset + ctx.i;
      return v <= hi ? String(v) : undefined;
    }
    // Skewed towards small values so equality filters and joins see repeats, as in real data.
    const span = Math.min(hi - lo, 10_000);
    return String(lo + Math.floor(ctx.random() ** 2 * (span + 1)));
  };
}

function numeric(typmod: number): Generator {
  const precision = typmod >= 4 ? ((typmod - 4) >> 16) & 0xffff : 12;
  const scale = typmod >= 4 ? (typmod - 4) & 0xffff : 2;
  const typeMax = 10 ** (precision - scale) - 10 ** -scale;
  return (ctx) => {
    const lo = ctx.limits.min !== undefined ? ctx.limits.min + (ctx.limits.minExclusive ? 10 ** -scale : 0) : 0;
    const hi = Math.min(ctx.limits.max !== undefined ? ctx.limits.max - (ctx.limits.maxExclusive ? 10 ** -scale : 0) : typeMax, typeMax);
    if (ctx.distinct) {
      const v = Math.max(lo, 0) + ctx.offset + ctx.i + (scale > 0 ? 0.5 : 0);
      return v <= hi ? v.toFixed(scale) : undefined;
    }
    const span = Math.min(hi - lo, 10_000);
    return (lo + ctx.random() * span).toFixed(scale);
  };
}

function float(): Generator {
  return (ctx) => {
    const lo = ctx.limits.min ?? 0;
    const hi = ctx.limits.max ?? lo + 1000;
    if (ctx.distinct) return String(lo + (ctx.i + ctx.offset) * ((hi - lo) / 1e7) + 1e-7);
    return String(lo + ctx.random() * (hi - lo) * (ctx.limits.maxExclusive ? 0.999 : 1) + (ctx.limits.minExclusive ? 1e-6 : 0));
  };
}

function fit(prefix: string, suffix: string, maxLength: number | undefined): string | undefined {
  if (maxLength === undefined || prefix.length + suffix.length <= maxLength) return prefix + suffix;
  if (suffix.length > maxLength) return undefined;
  return prefix.slice(0, maxLength - suffix.length) + suffix;
}

function text(typmod: number): Generator {
  const typeMax = typmod > 4 ? typmod - 4 : undefined;
  return (ctx) => {
    const maxLength = Math.min(typeMax ?? Infinity, ctx.limits.maxLength ?? Infinity);
    const max = Number.isFinite(maxLength) ? maxLength : undefined;
    const email = /e?mail/i.test(ctx.column);
    const n = ctx.i + ctx.offset;
    let value: string | undefined;
    if (/(^|_)(version|semver)$/i.test(ctx.column) || (ctx.column === 'num' && /version/i.test(ctx.table))) {
      // Version strings feed semver parsing in triggers and generated columns.
      value = ctx.distinct ? `${Math.floor(n / 100)}.${n % 100}.0` : `${int(ctx, 0, 3)}.${int(ctx, 0, 20)}.${int(ctx, 0, 9)}`;
    } else if (ctx.distinct) {
      value = email ? fit(`${ctx.table}-user`, `${n}@example.com`, max) : fit(`${ctx.table}-${ctx.column}-`, String(n), max) ?? fit('', n.toString(36), max);
    } else {
      const w = pick(ctx, WORDS);
      const n = int(ctx, 0, 49);
      value = email ? fit(`${w}${n}`, '@example.com', max) : fit(`${w} `, String(n), max) ?? fit('', w, max);
    }
    if (value !== undefined && ctx.limits.minLength !== undefined && value.length < ctx.limits.minLength) value = value.padEnd(ctx.limits.minLength, 'x');
    return value;
  };
}

function timestamp(kind: 'timestamp' | 'timestamptz' | 'date'): Generator {
  return (ctx) => {
    const ms = ctx.distinct
      ? BASE_TIME + (ctx.i + ctx.offset) * (kind === 'date' ? DAY : 60_000)
      : BASE_TIME + Math.floor(ctx.random() * 730 * DAY);
    const iso = new Date(ms).toISOString();
    if (kind === 'date') return iso.slice(0, 10);
    return kind === 'timestamptz' ? iso : iso.slice(0, 23).replace('T', ' ');
  };
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

function hex(ctx: ValueContext, digits: number): string {
  let s = '';
  for (let k = 0; k < digits; k++) s += Math.floor(ctx.random() * 16).toString(16);
  return s;
}

function uuid(ctx: ValueContext): string {
  // The row number goes into the last group so distinct rows never collide, whatever the random part.
  const tail = ctx.distinct ? (ctx.i + ctx.offset).toString(16).padStart(12, '0').slice(-12) : hex(ctx, 12);
  return `${hex(ctx, 8)}-${hex(ctx, 4)}-4${hex(ctx, 3)}-${'89ab'[int(ctx, 0, 3)]}${hex(ctx, 3)}-${tail}`;
}

function fromList(labels: readonly string[]): Generator {
  return (ctx) => {
    if (ctx.distinct) return ctx.i + ctx.offset < labels.length ? labels[ctx.i + ctx.offset] : undefined;
    return pick(ctx, labels);
  };
}

function bits(ctx: ValueContext, n: number): string {
  let s = '';
  for (let k = 0; k < n; k++) s += ctx.random() < 0.5 ? '0' : '1';
  return s;
}

function arrayLiteralElement(v: string, base: string): string {
  if (/^(int[248]|numeric|float[48]|bool|oid)$/.test(base)) return v;
  return `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** A generator for this type, or undefined when pgvet does not know how to make values of it. */
export function generatorFor(shape: TypeShape): Generator | undefined {
  if (shape.labels) return fromList(shape.labels);
  const withChoices = (g: Generator | undefined): Generator | undefined => g && ((ctx) => (ctx.limits.choices ? fromList(ctx.limits.choices)(ctx) : g(ctx)));
  return withChoices(baseGenerator(shape));
}

function baseGenerator(shape: TypeShape): Generator | undefined {
  switch (shape.base) {
    case 'int2': return integer(32_767);
    case 'int4': return integer(2_147_483_647);
    case 'int8': return integer(Number.MAX_SAFE_INTEGER);
    case 'oid': return integer(4_294_967_295);
    case 'numeric': return numeric(shape.typmod);
    case 'float4': case 'float8': return float();
    case 'money': return (ctx) => (ctx.distinct ? (ctx.i + ctx.offset + 0.5).toFixed(2) : (ctx.random() * 1000).toFixed(2));
    case 'text': case 'varchar': case 'bpchar': case 'name': case 'citext': return text(shape.typmod);
    case 'char': return (ctx) => (ctx.distinct ? undefined : pick(ctx, ['a', 'b', 'c']));
    case 'bool': return (ctx) => (ctx.distinct ? (ctx.i < 2 ? String(ctx.i === 1) : undefined) : String(ctx.random() < 0.5));
    case 'uuid': return uuid;
    case 'timestamp': return timestamp('timestamp');
    case 'timestamptz': return timestamp('timestamptz');
    case 'date': return timestamp('date');
    case 'time': case 'timetz': return (ctx) => {
      const s = ctx.distinct ? ctx.i + ctx.offset : int(ctx, 0, 86_399);
      if (s >= 86_400) return undefined;
      return `${pad2(Math.floor(s / 3600))}:${pad2(Math.floor(s / 60) % 60)}:${pad2(s % 60)}${shape.base === 'timetz' ? '+00' : ''}`;
    };
    case 'interval': return (ctx) => `${ctx.distinct ? ctx.i + ctx.offset + 1 : int(ctx, 1, 10_000)} minutes`;
    case 'json': case 'jsonb': return (ctx) => JSON.stringify({ n: ctx.i + ctx.offset, tag: pick(ctx, WORDS) });
    case 'bytea': return (ctx) => {
      // Byte length within CHECK bounds (octet_length(sha) = 32); the row number first keeps distinct values distinct.
      const bytes = Math.min(Math.max(8, ctx.limits.minLength ?? 1), ctx.limits.maxLength ?? Infinity);
      const head = (ctx.i + ctx.offset).toString(16).padStart(8, '0');
      return `\\x${(head + hex(ctx, bytes * 2)).slice(0, bytes * 2)}`;
    };
    case 'inet': return (ctx) => {
      const n = ctx.distinct ? ctx.i + ctx.offset : int(ctx, 0, 65_535);
      return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
    };
    case 'cidr': return (ctx) => {
      const n = ctx.distinct ? ctx.i + ctx.offset : int(ctx, 0, 65_535);
      return `10.${(n >> 8) & 255}.${n & 255}.0/24`;
    };
    case 'macaddr': return (ctx) => `08:00:2b:${hex(ctx, 2)}:${((ctx.i + ctx.offset) >> 8 & 255).toString(16).padStart(2, '0')}:${((ctx.i + ctx.offset) & 255).toString(16).padStart(2, '0')}`;
    case 'tsvector': return (ctx) => `${pick(ctx, WORDS)} ${pick(ctx, WORDS)} n${ctx.i + ctx.offset}`;
    case 'xml': return (ctx) => `<row n="${ctx.i + ctx.offset}"/>`;
    case 'point': return (ctx) => `(${(ctx.random() * 180 - 90).toFixed(5)},${(ctx.random() * 360 - 180).toFixed(5)})`;
    case 'bit': return (ctx) => bits(ctx, Math.max(1, shape.typmod));
    case 'varbit': return (ctx) => bits(ctx, Math.max(1, Math.min(shape.typmod > 0 ? shape.typmod : 16, 16)));
    case 'int4range': case 'int8range': case 'numrange': return (ctx) => {
      const a = int(ctx, 0, 1000);
      return `[${a},${a + int(ctx, 1, 100)})`;
    };
    case 'tsrange': case 'tstzrange': case 'daterange': return (ctx) => {
      const a = BASE_TIME + Math.floor(ctx.random() * 365 * DAY);
      const b = a + int(ctx, 1, 30) * DAY;
      const f = (ms: number) => (shape.base === 'daterange' ? new Date(ms).toISOString().slice(0, 10) : new Date(ms).toISOString());
      return `[${f(a)},${f(b)})`;
    };
    case 'hstore': return (ctx) => `"n"=>"${ctx.i + ctx.offset}", "tag"=>"${pick(ctx, WORDS)}"`;
    case 'ltree': return (ctx) => `top.${pick(ctx, WORDS)}.n${ctx.i + ctx.offset}`;
    case 'array': {
      const element = shape.element && generatorFor(shape.element);
      if (!element || !shape.element) return undefined;
      const base = shape.element.labels ? 'enum' : shape.element.base;
      return (ctx) => {
        const n = int(ctx, 1, 3);
        const items: string[] = [];
        for (let k = 0; k < n; k++) {
          const v = element({ ...ctx, distinct: false, limits: {} });
          if (typeof v === 'string') items.push(arrayLiteralElement(v, base));
        }
        const head = ctx.distinct ? [arrayLiteralElement(String(ctx.i + ctx.offset), 'text')] : [];
        return ctx.distinct && base !== 'text' && base !== 'varchar' ? undefined : `{${[...head, ...items].join(',')}}`;
      };
    }
    default: return undefined;
  }
}

/**
 * Reads bounds and choices for `column` from a CHECK definition as `pg_get_constraintdef` prints it, e.g.
 * `CHECK ((amount >= 0))`, `CHECK (((status)::text = ANY ((ARRAY['a'::character varying, 'b'])::text[])))`,
 * `CHECK ((char_length(name) <= 64))`. Conjunctions are read part by part; anything with OR is left alone
 * (rows that fail it are skipped at insert time).
 */
export function limitsFromCheck(def: string, column: string, into: ColumnLimits): void {
  const body = def.replace(/^CHECK\s*/i, '').replace(/\s+NOT VALID$/i, '');
  if (/\bOR\b/i.test(body)) return;
  const col = `(?:\\(*"?${escapeRegExp(column)}"?\\)*(?:::[\\w ]+(?:\\[\\])?\\)*)?)`;
  const num = `\\(*'?(-?\\d+(?:\\.\\d+)?)'?\\)*(?:::[\\w ]+)?\\)*`;
  for (const part of body.split(/\bAND\b/i)) {
    let m = new RegExp(`^\\s*\\(*${col}\\s*(>=|>|<=|<)\\s*${num}\\s*$`).exec(part);
    if (m) {
      const v = Number(m[2]);
      if (m[1].startsWith('>')) Object.assign(into, { min: Math.max(into.min ?? -Infinity, v), minExclusive: m[1] === '>' });
      else Object.assign(into, { max: Math.min(into.max ?? Infinity, v), maxExclusive: m[1] === '<' });
      continue;
    }
    m = new RegExp(`^\\s*\\(*(?:char_length|length|octet_length)\\(${col}\\)\\s*(>=|>|<=|<|=)\\s*${num}\\s*$`).exec(part);
    if (m) {
      const v = Number(m[2]);
      if (m[1] === '>=' || m[1] === '>') into.minLength = Math.max(into.minLength ?? 0, v + (m[1] === '>' ? 1 : 0));
      if (m[1] === '<=' || m[1] === '<' || m[1] === '=') into.maxLength = Math.min(into.maxLength ?? Infinity, v - (m[1] === '<' ? 1 : 0));
      if (m[1] === '=') into.minLength = v;
      continue;
    }
    m = new RegExp(`^\\s*\\(*${col}\\s*=\\s*ANY\\s*\\(+ARRAY\\[(.*)\\](?:::[\\w ]+\\[\\])?\\)+\\s*$`).exec(part);
    if (m) {
      const values = [...m[1].matchAll(/'((?:[^']|'')*)'/g)].map((x) => x[1].replace(/''/g, "'"));
      if (values.length) into.choices = values;
      continue;
    }
    m = new RegExp(`^\\s*\\(*${col}\\s*=\\s*'((?:[^']|'')*)'(?:::[\\w ]+)?\\)*\\s*$`).exec(part);
    if (m) into.choices = [m[1].replace(/''/g, "'")];
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
