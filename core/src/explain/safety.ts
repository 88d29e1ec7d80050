import { loadModule, parseSync, scanSync } from '../parse/sql/libpg';
import { refusedFunction } from './dangerous-functions';
import { statementKindName } from '../parse/sql/statement-kinds';

/**
 * Decides, before anything is sent to a server, whether a statement may be explained with ANALYZE.
 *
 * - `select`: read-only; runs in a READ ONLY transaction, so even a user function that writes fails there.
 * - `modifying`: really executes and is rolled back; the user confirms once (`reasons`, `sideEffects`).
 * - `refused`: cannot be explained, or its effects would outlive the ROLLBACK.
 *
 * An existing `EXPLAIN [ANALYZE] [VERBOSE]` / `EXPLAIN (…)` prefix is stripped and its options
 * ignored: pgvet always adds its own options, and users often select the whole line they copied
 * from psql. `statementOffset` says where the explained statement starts inside the input.
 */
export type Classification =
  | ({ kind: 'select' } & Explainable)
  | ({ kind: 'modifying'; reasons: string[]; sideEffects: string[] } & Explainable)
  | { kind: 'refused'; reason: string; /** UTF-16 offset in the input, for parse errors. */ offset?: number };

interface Explainable {
  /** The single statement to put after `EXPLAIN (…)`, without a trailing semicolon. */
  statement: string;
  /** UTF-16 offset of `statement` inside the classified text. */
  statementOffset: number;
  /** Highest `$n` placeholder (0 when none): the UI asks for this many values. */
  paramCount: number;
  strippedExplain: boolean;
}

let ready: Promise<void> | undefined;
/** Loads the WASM parser once; `classifyStatement` needs it to have resolved. */
export function initSafety(): Promise<void> {
  ready ??= loadModule();
  return ready;
}

type Json = Record<string, unknown>;

/** Statement node kinds EXPLAIN cannot run or pgvet cannot roll back, with the reason shown. */
const REFUSED_KINDS: Record<string, string> = {
  VacuumStmt: 'VACUUM/ANALYZE cannot run inside a transaction block, so it cannot be rolled back.',
  TransactionStmt: 'transaction control (BEGIN, COMMIT, ROLLBACK, SAVEPOINT, PREPARE TRANSACTION …) would break pgvet’s own BEGIN … ROLLBACK wrapper.',
  CopyStmt: 'COPY cannot be explained, and COPY … TO/FROM PROGRAM or a file acts outside the database.',
  VariableSetStmt: 'SET/RESET is not explainable; set options in the connection instead (a plain SET would also persist on the session).',
  VariableShowStmt: 'SHOW is not explainable.',
  CallStmt: 'CALL is not explainable and a procedure may COMMIT inside it.',
  DoStmt: 'DO blocks are not explainable and may run anything.',
  LockStmt: 'LOCK is not explainable.',
  ListenStmt: 'LISTEN is not explainable.',
  UnlistenStmt: 'UNLISTEN is not explainable.',
  NotifyStmt: 'NOTIFY is not explainable.',
  ExecuteStmt: 'EXECUTE needs a prepared statement that exists only on your own session; explain the query itself with $n parameters instead.',
  DeclareCursorStmt: 'DECLARE CURSOR is not supported; explain the cursor’s query.',
  CreateTableAsStmt: 'CREATE TABLE AS / SELECT INTO creates a table (DDL); explain the SELECT alone.',
  CheckPointStmt: 'CHECKPOINT is not explainable.',
  DiscardStmt: 'DISCARD is not explainable.',
  LoadStmt: 'LOAD is not explainable.',
  ClusterStmt: 'CLUSTER is not explainable.',
  ReindexStmt: 'REINDEX is not explainable.',
};

/** Functions that change state PostgreSQL cannot roll back but that are otherwise harmless: confirmation, with the side effect named. */
export const SIDE_EFFECT_FUNCTIONS: Record<string, string> = {
  nextval: 'nextval() advances a sequence; sequence values are not rolled back',
  setval: 'setval() changes a sequence; sequence changes are not rolled back',
};

const MODIFYING_NODES: Record<string, string> = {
  InsertStmt: 'INSERT',
  UpdateStmt: 'UPDATE',
  DeleteStmt: 'DELETE',
  MergeStmt: 'MERGE',
};

interface Findings {
  maxParam: number;
  modifying: Set<string>;
  sideEffects: Set<string>;
  refusedFunction?: string;
  selectInto: boolean;
}

/**
 * Visits every node of the parse tree with an explicit stack: a 2,000-term `0 + 1 + …` or a
 * 5,000-branch UNION ALL nests deeper than the JavaScript call stack allows a recursive walk to go.
 */
function walk(root: unknown, f: Findings): void {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push(value[i]);
      continue;
    }
    if (!value || typeof value !== 'object') continue;
    for (const [key, child] of Object.entries(value as Json)) {
      visit(key, child, f);
      stack.push(child);
    }
  }
}

function visit(key: string, child: unknown, f: Findings): void {
  if (key === 'ParamRef') f.maxParam = Math.max(f.maxParam, Number((child as Json).number ?? 0));
  else if (key in MODIFYING_NODES) f.modifying.add(MODIFYING_NODES[key]);
  else if (key === 'lockingClause') f.modifying.add('SELECT … FOR UPDATE/SHARE (row locks; not allowed in a read-only transaction)');
  else if (key === 'intoClause') f.selectInto = true;
  else if (key === 'FuncCall') {
    const parts = ((child as Json).funcname as Json[] | undefined) ?? [];
    const name = String(((parts[parts.length - 1] as Json | undefined)?.String as Json | undefined)?.sval ?? '').toLowerCase();
    const refused = refusedFunction(name);
    if (refused) f.refusedFunction ??= `${name}() ${refused}.`;
    else if (name in SIDE_EFFECT_FUNCTIONS) {
      f.sideEffects.add(SIDE_EFFECT_FUNCTIONS[name]);
      f.modifying.add(`${name}() (not allowed in a read-only transaction)`);
    }
    // Everything else a statement calls (dblink, query_to_xml, VOLATILE user functions …) is judged by the
    // server-side check (function-audit.ts), which also sees what views and functions call.
  }
}

/** Byte offsets of every `$n` in the parse tree (for the server-side check, which replaces them by NULL). */
export function paramLocations(sql: string): number[] {
  const out: number[] = [];
  const stack: unknown[] = [parseSync(sql)];
  while (stack.length > 0) {
    const value = stack.pop();
    if (Array.isArray(value)) {
      for (const v of value) stack.push(v);
    } else if (value && typeof value === 'object') {
      for (const [key, child] of Object.entries(value as Json)) {
        if (key === 'ParamRef') out.push(Number((child as Json).location ?? -1));
        stack.push(child);
      }
    }
  }
  return out.filter((n) => n >= 0).sort((a, b) => a - b);
}

function byteToUtf16(text: string, byteOffset: number): number {
  return Buffer.from(text, 'utf8').subarray(0, byteOffset).toString('utf8').length;
}

/** The parser's error cursor counts code points (0-based). */
export function codePointsToUtf16(text: string, codePoints: number): number {
  let k = 0;
  for (let cp = 0; cp < codePoints && k < text.length; cp++) k += text.codePointAt(k)! > 0xffff ? 2 : 1;
  return k;
}

/** Where the statement after `EXPLAIN …options…` starts (UTF-16), or undefined when there is none. */
function explainBodyOffset(text: string): number | undefined {
  const tokens = scanSync(text).tokens.filter((t) => t.tokenName !== 'C_COMMENT' && t.tokenName !== 'SQL_COMMENT');
  let i = 1; // tokens[0] is EXPLAIN
  if (tokens[i]?.text === '(') {
    let depth = 0;
    for (; i < tokens.length; i++) {
      if (tokens[i].text === '(') depth++;
      else if (tokens[i].text === ')' && --depth === 0) { i++; break; }
    }
  } else {
    while (tokens[i] && /^(analy[sz]e|verbose)$/i.test(tokens[i].text)) i++;
  }
  return tokens[i] ? byteToUtf16(text, tokens[i].start) : undefined;
}

/** Classifies one statement. Call `initSafety()` first. */
export function classifyStatement(sql: string): Classification {
  if (sql.trim() === '') return { kind: 'refused', reason: 'There is no statement to explain.' };
  let parsed: ReturnType<typeof parseSync>;
  try {
    parsed = parseSync(sql);
  } catch (e) {
    if (e instanceof RangeError || /stack (depth|size)/i.test(String((e as Error)?.message))) {
      // The parser (or the conversion of its tree) ran out of stack: refuse rather than run what was not analysed.
      return { kind: 'refused', reason: 'The statement is too deeply nested to analyse, so pgvet does not run it; split it up or explain it in psql.' };
    }
    const details = (e as { sqlDetails?: { message: string; cursorPosition: number } }).sqlDetails;
    const message = details?.message ?? (e as Error).message;
    return { kind: 'refused', reason: `The statement does not parse: ${message}.`, offset: details ? codePointsToUtf16(sql, details.cursorPosition) : undefined };
  }
  const stmts = parsed.stmts ?? [];
  if (stmts.length === 0) return { kind: 'refused', reason: 'There is no statement to explain.' };
  if (stmts.length > 1) return { kind: 'refused', reason: `Select a single statement: this text holds ${stmts.length}.` };

  const raw = stmts[0];
  const node = raw.stmt as Json;
  const kind = Object.keys(node)[0];
  const startByte = raw.stmt_location ?? 0;
  const bytes = Buffer.from(sql, 'utf8');
  const endByte = raw.stmt_len ? startByte + raw.stmt_len : bytes.length;
  const rawText = bytes.subarray(startByte, endByte).toString('utf8');
  const statement = rawText.trim();
  const statementOffset = byteToUtf16(sql, startByte) + /^\s*/.exec(rawText)![0].length;

  if (kind === 'ExplainStmt') {
    const body = explainBodyOffset(statement);
    if (body === undefined) return { kind: 'refused', reason: 'EXPLAIN without a statement.' };
    const inner = classifyStatement(statement.slice(body));
    if (inner.kind === 'refused') return inner.offset === undefined ? inner : { ...inner, offset: inner.offset + statementOffset + body };
    return { ...inner, statementOffset: inner.statementOffset + statementOffset + body, strippedExplain: true };
  }

  if (kind === 'IndexStmt' && (node.IndexStmt as Json).concurrent) {
    return { kind: 'refused', reason: 'CREATE INDEX CONCURRENTLY cannot run inside a transaction block, and DDL is not explainable.' };
  }
  if (kind in REFUSED_KINDS) return { kind: 'refused', reason: refusedText(kind, node) };
  if (kind !== 'SelectStmt' && !(kind in MODIFYING_NODES)) {
    return { kind: 'refused', reason: `${statementKindName(kind, (node[kind] ?? {}) as Json)} is DDL or a utility command: it is not explainable. Only SELECT, VALUES, TABLE, WITH, INSERT, UPDATE, DELETE and MERGE are.` };
  }

  const f: Findings = { maxParam: 0, modifying: new Set(), sideEffects: new Set(), selectInto: false };
  if (kind in MODIFYING_NODES) f.modifying.add(MODIFYING_NODES[kind]);
  walk(node, f);
  if (f.selectInto) return { kind: 'refused', reason: REFUSED_KINDS.CreateTableAsStmt };
  if (f.refusedFunction) return { kind: 'refused', reason: f.refusedFunction };
  const base = { statement, statementOffset, paramCount: f.maxParam, strippedExplain: false };
  if (f.modifying.size === 0) return { kind: 'select', ...base };
  return { kind: 'modifying', ...base, reasons: [...f.modifying], sideEffects: [...f.sideEffects] };
}

function refusedText(kind: string, node: Json): string {
  if (kind === 'CopyStmt' && (node.CopyStmt as Json).is_program) {
    return 'COPY … PROGRAM runs a shell command on the database server: refused. ' + REFUSED_KINDS.CopyStmt;
  }
  return REFUSED_KINDS[kind].replace(/^./, (c) => c.toUpperCase());
}
