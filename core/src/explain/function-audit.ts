import type { ExplainClient, Row } from './adapters';
import { confirmedFunction, dangerousNameIn, harmlessVolatile, refusedFunction } from './dangerous-functions';
import { SIDE_EFFECT_FUNCTIONS } from './safety';

/**
 * What the server says a statement calls: every function reached from its parse tree, through the views
 * it reads (their rewrite rules), row-level security policies, domain constraints, SQL-standard function
 * bodies, and for INSERT/UPDATE/DELETE/MERGE the target tables' triggers, rules, defaults and CHECKs.
 *
 * Why this method: the statement is compiled into a temporary SQL-standard function
 * (`CREATE FUNCTION pg_temp.… BEGIN ATOMIC <statement> END`, inside a transaction that is rolled back).
 * PostgreSQL stores its body as the analysed query tree (`pg_proc.prosqlbody`), where every call is a
 * function OID (`:funcid`, `:opfuncid`, `:aggfnoid`, …), every relation an OID, and string constants are
 * bytes, so nothing the user typed can pose as a reference. Views' trees are in `pg_rewrite.ev_action`,
 * policies' in `pg_policy`, and so on: the same format all the way down. Creating the function only
 * parses and analyses; nothing is planned or executed, unlike `EXPLAIN`, whose planner may already call
 * STABLE and IMMUTABLE functions. Names read from EXPLAIN VERBOSE text miss operators, casts and domain
 * checks, and pg_depend records nothing for built-in (pinned) functions such as pg_terminate_backend.
 *
 * Function bodies stored as text (plpgsql, and SQL functions without BEGIN ATOMIC) are not analysed: the
 * function's declared volatility decides, and the text is searched for the dangerous names as well.
 */
export interface FunctionAudit {
  /** A function whose effect outlives the ROLLBACK was reached: refuse. */
  refused?: string;
  /** What may write or act outside the database: VOLATILE functions beyond the harmless built-ins, foreign tables. */
  mayWrite: string[];
  /** Effects the ROLLBACK does not undo, one per function. */
  effects: string[];
  /** The subset of `effects` from functions the planner itself may run (not VOLATILE): asked even for a plan without ANALYZE. */
  planTimeEffects: string[];
  /** Set when the check could not run; the statement is then treated as unchecked. */
  unchecked?: string;
}

/** Bounds on the walk through views and function bodies; past them the statement counts as unchecked. */
const MAX_ROUNDS = 64;
const MAX_TREE_CHARS = 64 * 1024 * 1024;

const PROBE = 'pg_temp.pgvet_safety_check';

/** The text that compiles `statement` (with `$n` already replaced) without running it. */
export function probeFunctionSql(statement: string): { sql: string; prefixLength: number } {
  const prefix = `CREATE FUNCTION ${PROBE}() RETURNS void LANGUAGE sql BEGIN ATOMIC\n`;
  return { sql: `${prefix}${statement}\n;\nEND`, prefixLength: prefix.length };
}

function oidsAfter(tree: string, keys: string): string[] {
  return [...tree.matchAll(new RegExp(`:(?:${keys}) (\\d+)`, 'g'))].map((m) => m[1]).filter((o) => o !== '0');
}

const oidArray = (oids: Iterable<string>) => `{${[...oids].join(',')}}`;

function texts(rows: Row[]): string[] {
  return rows.flatMap((r) => Object.values(r)).filter((v): v is string => typeof v === 'string' && v.length > 0);
}

/**
 * Runs inside a transaction the caller opened (and rolls back): creates the probe function from
 * `probeSql` (see probeFunctionSql), then follows every reference. Server errors from creating the
 * probe are thrown to the caller, which decides whether they are the statement's own errors.
 */
export async function auditStatement(client: ExplainClient, probeSql: string, modifying: boolean): Promise<FunctionAudit> {
  const audit: FunctionAudit = { mayWrite: [], effects: [], planTimeEffects: [] };
  await client.query(probeSql, []);
  const [probe] = await client.query(`SELECT prosqlbody::text AS body FROM pg_proc WHERE oid = '${PROBE}'::regproc`, []);
  let pending = [String(probe?.body ?? '')];
  const seen = { funcs: new Set<string>(), ops: new Set<string>(), rels: new Set<string>(), types: new Set<string>() };
  // OIDs found but not looked up yet; a lookup may queue more (an operator's function, a domain's base type).
  const queued = { funcs: new Set<string>(), ops: new Set<string>(), rels: new Set<string>(), types: new Set<string>() };
  const add = (kind: keyof typeof queued, oids: string[]) => {
    for (const o of oids) if (o !== '0' && !seen[kind].has(o)) (seen[kind].add(o), queued[kind].add(o));
  };
  const take = (kind: keyof typeof queued) => {
    const oids = [oidArray(queued[kind])];
    queued[kind].clear();
    return oids;
  };
  let chars = 0;
  for (let round = 0; pending.length > 0 || Object.values(queued).some((q) => q.size > 0); round++) {
    chars += pending.reduce((n, t) => n + t.length, 0);
    if (round >= MAX_ROUNDS || chars > MAX_TREE_CHARS) {
      return { ...audit, unchecked: 'the statement reaches too many views and function bodies to check them all' };
    }
    for (const tree of pending) {
      add('funcs', oidsAfter(tree, 'funcid|opfuncid|aggfnoid|winfnoid|hashfuncid|negfuncid'));
      add('ops', oidsAfter(tree, 'opno|eqop|sortop'));
      for (const m of tree.matchAll(/:opnos \(o([\d ]+)\)/g)) add('ops', m[1].trim().split(/\s+/));
      add('rels', oidsAfter(tree, 'relid'));
      add('types', oidsAfter(tree, '\\w*type'));
    }
    pending = [];
    if (queued.ops.size) {
      add('funcs', (await client.query('SELECT oprcode::oid::text AS f FROM pg_operator WHERE oid = ANY($1::text::oid[])', take('ops'))).map((r) => String(r.f)));
    }
    if (queued.rels.size) {
      const rels = take('rels');
      // A foreign table's scan runs queries on another server, whose views and functions pgvet cannot see.
      for (const r of await client.query("SELECT oid::regclass::text AS name FROM pg_class WHERE oid = ANY($1::text::oid[]) AND relkind = 'f'", rels)) {
        audit.mayWrite.push(`reads the foreign table ${String(r.name)}, whose server pgvet cannot check`);
      }
      // A SELECT reads views through their ON SELECT rule; writes also fire the other rules.
      pending.push(...texts(await client.query(`SELECT ev_action::text AS a, ev_qual::text AS q FROM pg_rewrite WHERE ev_class = ANY($1::text::oid[])${modifying ? '' : " AND ev_type = '1'"}`, rels)));
      pending.push(...texts(await client.query('SELECT polqual::text AS q, polwithcheck::text AS w FROM pg_policy WHERE polrelid = ANY($1::text::oid[])', rels)));
      if (modifying) {
        add('funcs', (await client.query('SELECT tgfoid::oid::text AS f FROM pg_trigger WHERE tgrelid = ANY($1::text::oid[]) AND NOT tgisinternal', rels)).map((r) => String(r.f)));
        pending.push(...texts(await client.query('SELECT adbin::text AS d FROM pg_attrdef WHERE adrelid = ANY($1::text::oid[])', rels)));
        pending.push(...texts(await client.query("SELECT conbin::text AS c FROM pg_constraint WHERE conrelid = ANY($1::text::oid[]) AND contype = 'c'", rels)));
      }
    }
    if (queued.types.size) {
      const types = take('types');
      pending.push(...texts(await client.query('SELECT conbin::text AS c FROM pg_constraint WHERE contypid = ANY($1::text::oid[]) AND conbin IS NOT NULL', types)));
      add('types', (await client.query("SELECT typbasetype::oid::text AS t FROM pg_type WHERE oid = ANY($1::text::oid[]) AND typtype = 'd'", types)).map((r) => String(r.t)));
    }
    if (queued.funcs.size) {
      const funcs = take('funcs');
      const rows = await client.query(
        `SELECT p.oid::text AS oid, n.nspname AS schema, p.proname AS name, p.provolatile AS volatility, l.lanname AS language,
                p.prosrc AS source, p.prosqlbody::text AS body
           FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang
          WHERE p.oid = ANY($1::text::oid[])`, funcs);
      for (const r of rows) {
        judge(audit, r);
        if (typeof r.body === 'string' && r.body) pending.push(r.body);
      }
      // An aggregate's own volatility says nothing about its state functions: check those too.
      const support = await client.query(
        'SELECT unnest(ARRAY[aggtransfn, aggfinalfn, aggcombinefn, aggmtransfn, aggminvtransfn, aggmfinalfn])::oid::text AS f FROM pg_aggregate WHERE aggfnoid = ANY($1::text::oid[])', funcs);
      add('funcs', support.map((r) => String(r.f)));
    }
  }
  return audit;
}

function judge(audit: FunctionAudit, r: Row): void {
  const schema = String(r.schema);
  const name = String(r.name);
  const volatile = r.volatility === 'v';
  const label = `${schema === 'pg_catalog' ? '' : `${schema}.`}${name}()`;
  const refused = refusedFunction(name);
  if (refused) {
    audit.refused ??= `${label} ${refused} (reached through a view, a function or a rule the statement uses).`;
    return;
  }
  const effect = SIDE_EFFECT_FUNCTIONS[name] ?? (confirmedFunction(name) ? `${label} ${confirmedFunction(name)}` : undefined);
  const userBody = !['pg_catalog', 'information_schema'].includes(schema) && !['c', 'internal'].includes(String(r.language)) && !r.body;
  const called = userBody ? dangerousNameIn(String(r.source ?? '')) : undefined;
  const bodyEffect = called ? `${label} calls ${called}(), which ${refusedFunction(called) ?? confirmedFunction(called) ?? SIDE_EFFECT_FUNCTIONS[called]}` : undefined;
  for (const e of [effect, bodyEffect]) {
    if (!e || audit.effects.includes(e)) continue;
    audit.effects.push(e);
    if (!volatile) audit.planTimeEffects.push(e);
  }
  if (volatile && !harmlessVolatile(schema, name)) {
    const what = `${label} is VOLATILE${userBody ? ` (${r.language})` : ''}`;
    if (!audit.mayWrite.includes(what)) audit.mayWrite.push(what);
  }
}
