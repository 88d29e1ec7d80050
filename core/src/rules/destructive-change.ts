import type { Catalog, Column } from '../catalog/model';
import { applyStatement } from '../catalog/replay';
import { snapshotCatalog } from '../catalog/snapshot';
import type { HistoryStep } from '../catalog/history-replay';
import { alterTableCommands, declaredColumns, isExistingTable, qualifiedName, stmtOf, stmtType, tableKey } from '../parse/sql/ast';
import { isTableRef, nodeOf, nodesOf, stringOf, type TableRef } from '../parse/sql/nodes';
import { parseType, writtenType } from '../rule-kit/type-changes';
import type { SqlFile, SqlStatement } from '../parse/sql/parser';
import { defineRule } from '../rule-kit/define-rule';

/** The `- …` items of the "Warnings:" block comment Prisma Migrate writes at the top of a migration.sql. */
export function prismaWarnings(file: SqlFile): string[] {
  const head = /^\s*\/\*\s*\n\s*Warnings:\s*\n([\s\S]*?)\*\//.exec(file.text);
  if (!head) return [];
  return head[1].split(/\n\s*-\s+/).map((w) => w.replace(/\s+/g, ' ').trim().replace(/^-\s*/, '')).filter((w) => w.length > 0);
}

/** The Prisma warning that names every one of `names` in backticks, quoted for a message. */
function confirmation(warnings: string[], names: string[]): string | undefined {
  const hit = warnings.find((w) => names.every((n) => w.toLowerCase().includes(`\`${n.toLowerCase()}\``)));
  return hit && ` Prisma warned when it generated this migration: "${hit}"`;
}

const q = (s: string) => `"${s}"`;

/** Type families ordered by what they can hold, for telling a narrowing change. */
const INTEGER_RANK: Record<string, number> = { smallint: 1, integer: 2, bigint: 3 };
const BUILTIN = /^(smallint|integer|bigint|numeric|real|double precision|boolean|date|time|timestamp|interval|uuid|jsonb?|bytea|inet|cidr)\b/;
const TEXT_LIKE = /^(text|character varying|character|varchar|char|bpchar)\b/;

/**
 * Why changing a column from `from` to `to` can lose data (both as format_type prints them), or undefined when
 * every old value fits the new type unchanged.
 */
export function narrowingReason(from: string, to: string): string | undefined {
  const a = parseType(from);
  const b = parseType(to);
  if (a.array !== b.array) return `${from} values become ${to}`;
  if (TEXT_LIKE.test(a.base) && TEXT_LIKE.test(b.base)) {
    const limit = (x: typeof a) => (x.base === 'text' || x.mods.length === 0 ? Infinity : x.mods[0]);
    if (limit(b) < limit(a)) return `values longer than ${limit(b)} characters are cut or make the change fail`;
    return undefined;
  }
  if (TEXT_LIKE.test(a.base)) return `text that does not parse as ${to} makes the change fail, and the original spelling is lost`;
  if (a.base in INTEGER_RANK && b.base in INTEGER_RANK) return INTEGER_RANK[b.base] < INTEGER_RANK[a.base] ? `values outside the ${to} range make the change fail` : undefined;
  if (a.base === 'numeric' || a.base === 'double precision' || a.base === 'real') {
    if (b.base in INTEGER_RANK) return 'fractional digits are rounded away';
    if (a.base === 'numeric' && b.base === 'numeric') {
      const [p1, s1] = a.mods.length ? [a.mods[0], a.mods[1] ?? 0] : [Infinity, Infinity];
      const [p2, s2] = b.mods.length ? [b.mods[0], b.mods[1] ?? 0] : [Infinity, Infinity];
      if (s2 < s1) return `digits beyond scale ${s2} are rounded away`;
      if (p2 - s2 < p1 - s1) return `values with more than ${p2 - s2} integer digits make the change fail`;
      return undefined;
    }
    if (a.base === 'double precision' && b.base === 'real') return 'precision beyond 6 digits is lost';
    if (b.base === 'numeric' || b.base === 'double precision') return a.base === 'numeric' && b.base === 'double precision' ? 'precision beyond 15 digits is lost' : undefined;
  }
  if (/^timestamp/.test(a.base) && (b.base === 'date' || /^time\b/.test(b.base))) return `the ${b.base === 'date' ? 'time of day' : 'date'} is dropped`;
  // timestamp → timestamptz reads each value as a time in the session TimeZone: the same instants, and the down
  // migration (back to timestamp in the same zone) gives the same values.
  if (a.base === 'timestamp without time zone' && b.base === 'timestamp with time zone') {
    return b.mods.length && (a.mods.length === 0 || b.mods[0] < a.mods[0]) ? 'fractional seconds are rounded away' : undefined;
  }
  if (a.base === 'cidr' && b.base === 'inet') return undefined;
  if (a.base === 'bit varying' && b.base === 'bit varying') return b.mods.length && (a.mods.length === 0 || b.mods[0] < a.mods[0]) ? `values longer than ${b.mods[0]} bits make the change fail` : undefined;
  if (/^timestamp|^time\b/.test(a.base) && a.base === b.base && b.mods.length && (a.mods.length === 0 || b.mods[0] < a.mods[0])) return 'fractional seconds are rounded away';
  if (a.base === b.base) return undefined;
  if (b.base === 'text' || TEXT_LIKE.test(b.base)) return undefined;
  // Between enums and other user types the enum check judges the values; unknown types are not guessed at.
  if (!BUILTIN.test(a.base) || !BUILTIN.test(b.base)) return undefined;
  return `${from} values are cast to ${to}, which can fail or change them`;
}

interface Finding {
  stmt: SqlStatement;
  start: number;
  end: number;
  message: string;
  names: string[];
}

/** Destructive statements a single file shows on its own. */
function fileFindings(file: SqlFile): Finding[] {
  const out: Finding[] = [];
  const declared = declaredColumns(file);
  for (const stmt of file.statements) {
    const at = { stmt, start: stmt.start, end: stmt.end };
    const drop = stmtOf(stmt, 'DropStmt');
    if (drop && (drop.removeType === 'OBJECT_TABLE' || drop.removeType === 'OBJECT_SCHEMA')) {
      for (const o of drop.objects ?? []) {
        const parts = (nodeOf(o, 'List')?.items ?? [o]).map(stringOf).filter((s): s is string => !!s);
        // A scratch table made earlier in this migration (SELECT … INTO, CREATE [TEMP] TABLE) held no row from before it.
        if (drop.removeType === 'OBJECT_TABLE' && !isExistingTable(file, stmt, { schemaname: parts.length > 1 ? parts.at(-2) : undefined, relname: parts.at(-1)! })) continue;
        const name = parts.join('.');
        const what = drop.removeType === 'OBJECT_TABLE'
          ? `DROP TABLE deletes table ${q(name)} and every row in it`
          : `DROP SCHEMA deletes schema ${q(name)}${drop.behavior === 'DROP_CASCADE' ? ' and, with CASCADE, every table and row in it' : ''}`;
        out.push({ ...at, message: `${what}; no down migration can bring the data back.`, names: [parts.at(-1)!] });
      }
    }
    const truncate = stmtOf(stmt, 'TruncateStmt');
    if (truncate) {
      const existing = nodesOf(truncate.relations, 'RangeVar').filter((r) => isExistingTable(file, stmt, r));
      const tables = existing.map((r) => qualifiedName(r));
      if (tables.length > 0) out.push({ ...at, message: `TRUNCATE deletes every row of ${tables.map(q).join(', ')}; no down migration can bring them back.`, names: tables });
    }
    for (const kind of ['DeleteStmt', 'UpdateStmt'] as const) {
      const n = stmtOf(stmt, kind);
      if (!n || n.whereClause || !isExistingTable(file, stmt, n.relation)) continue;
      const table = qualifiedName(n.relation);
      const message = kind === 'DeleteStmt'
        ? `DELETE without WHERE deletes every row of ${q(table)}; no down migration can bring them back.`
        : `UPDATE without WHERE overwrites ${nodesOf(stmtOf(stmt, 'UpdateStmt')?.targetList, 'ResTarget').map((t) => q(t.name ?? '')).join(', ')} in every row of ${q(table)}; the old values are lost.`;
      out.push({ ...at, message, names: [table] });
    }
    const alter = stmtOf(stmt, 'AlterTableStmt');
    const relation = alter?.relation;
    if (!alter || alter.objtype !== 'OBJECT_TABLE' || !isTableRef(relation) || !isExistingTable(file, stmt, relation)) continue;
    const table = qualifiedName(relation);
    for (const { cmd, start, end } of alterTableCommands(file, stmt, ['AT_DropColumn', 'AT_AlterColumnType'])) {
      const column = cmd.name ?? '';
      if (cmd.subtype === 'AT_DropColumn') {
        out.push({ stmt, start, end, message: `DROP COLUMN deletes ${q(table)}.${q(column)} and all its values; a down migration can re-add the column but not the data.`, names: [relation.relname, column] });
      }
      // A type change whose old type this file declared (from an earlier file, the history's catalog tells: see checkCatalog).
      const def = cmd.subtype === 'AT_AlterColumnType' ? nodeOf(cmd.def, 'ColumnDef') : undefined;
      const prior = def && declared.filter((d) => d.stmt.index < stmt.index && d.column === cmd.name && tableKey(d.table) === tableKey(relation)).at(-1);
      if (!def?.typeName || !prior) continue;
      const reason = narrowingReason(writtenType(prior.typeName), writtenType(def.typeName));
      if (reason) out.push({ stmt, start, end, message: narrowingMessage(table, column, writtenType(prior.typeName), writtenType(def.typeName), reason), names: [relation.relname, column] });
    }
  }
  return out;
}

function narrowingMessage(table: string, column: string, from: string, to: string, reason: string): string {
  return `Changing ${q(table)}.${q(column)} from ${from} to ${to} narrows it: ${reason}. A down migration cannot widen the values back.`;
}

/** Narrowing type changes and enums recreated without some values, judged against the catalog before each statement. */
function historyFindings(steps: readonly HistoryStep[], report: (path: string, f: Finding) => void): void {
  for (const { file: { path, parsed }, before: start } of steps) {
    // Only these statements change a column's type or make an enum lose values; a file without them is skipped.
    if (!parsed.statements.some(changesTypes)) continue;
    const catalog: Catalog = snapshotCatalog(start);
    catalog.searchPath = ['public'];
    const declared = declaredColumns(parsed);
    const enumsAtStart = new Map([...catalog.schemas.values()].flatMap((s) => [...s.enums.values()].map((e) => [`${s.name}.${e.name}`, e.values] as const)));
    for (const stmt of parsed.statements) {
      const alter = stmtOf(stmt, 'AlterTableStmt');
      const relation = alter?.objtype === 'OBJECT_TABLE' && isTableRef(alter.relation) ? alter.relation : undefined;
      const before = new Map<string, Column>();
      const tableOf = (rel: TableRef | undefined) => rel && catalog.schemas.get(rel.schemaname ?? catalog.searchPath.find((s) => catalog.schemas.get(s)?.tables.has(rel.relname)) ?? 'public')?.tables.get(rel.relname);
      const commands = relation ? alterTableCommands(parsed, stmt, ['AT_AlterColumnType']) : [];
      for (const { cmd } of commands) {
        const col = tableOf(relation)?.columns.find((c) => c.name === cmd.name);
        if (col) before.set(cmd.name ?? '', { ...col });
      }
      applyStatement(catalog, path, parsed.text, stmt);
      for (const { cmd, start, end } of commands) {
        // The file itself declared the old type: the statement check already judged it.
        if (declared.some((d) => d.stmt.index < stmt.index && d.column === cmd.name && tableKey(d.table) === tableKey(relation))) continue;
        const was = before.get(cmd.name ?? '');
        const now = tableOf(relation)?.columns.find((c) => c.name === cmd.name);
        const reason = was && now && !was.typeUnknown && !now.typeUnknown && was.type !== now.type ? narrowingReason(was.type, now.type) : undefined;
        if (reason) report(path, { stmt, start, end, message: narrowingMessage(qualifiedName(relation), cmd.name ?? '', was!.type, now!.type, reason), names: [relation?.relname ?? '', cmd.name ?? ''] });
      }
      // An enum that, after this statement, lacks values it had when the file started (Prisma recreates enums to drop values).
      // Only a statement that creates or renames a type can be the one that leaves the enum like that.
      const kind = stmtType(stmt);
      if (kind !== 'CreateEnumStmt' && kind !== 'RenameStmt' && kind !== 'DoStmt') continue;
      for (const schema of catalog.schemas.values()) {
        for (const e of schema.enums.values()) {
          const start = enumsAtStart.get(`${schema.name}.${e.name}`);
          const gone = start?.filter((v) => !e.values.includes(v)) ?? [];
          if (!gone.length || e.origin.start !== stmt.start && !isRenameTo(stmt, e.name)) continue;
          report(path, { stmt, start: stmt.start, end: stmt.end, names: [e.name],
            message: `Enum ${q(e.name)} loses value${gone.length > 1 ? 's' : ''} ${gone.map((v) => `'${v}'`).join(', ')}: rows holding ${gone.length > 1 ? 'them' : 'it'} make the change fail or must be rewritten first, and a down migration cannot tell which rows had ${gone.length > 1 ? 'them' : 'it'}.` });
          enumsAtStart.set(`${schema.name}.${e.name}`, e.values);
        }
      }
    }
  }
}

/** ALTER COLUMN … TYPE, and what can recreate or rename an enum (CREATE TYPE, RENAME, a DO block). */
function changesTypes(stmt: SqlStatement): boolean {
  const kind = stmtType(stmt);
  if (kind === 'CreateEnumStmt' || kind === 'RenameStmt' || kind === 'DoStmt') return true;
  return kind === 'AlterTableStmt' && nodesOf(stmtOf(stmt, 'AlterTableStmt')!.cmds, 'AlterTableCmd').some((cmd) => cmd.subtype === 'AT_AlterColumnType');
}

function isRenameTo(stmt: SqlStatement, name: string): boolean {
  const r = stmtOf(stmt, 'RenameStmt');
  return !!r && r.renameType === 'OBJECT_TYPE' && r.newname === name;
}

export const destructiveChange = defineRule({
  id: 'destructive-change',
  meta: {
    description: 'A statement that deletes data no down migration can bring back: DROP TABLE / COLUMN / SCHEMA, TRUNCATE, DELETE or UPDATE without WHERE, narrowing type changes, enums losing values.',
    category: 'reversibility',
    defaultSeverity: 'warning',
    fix: 'none',
    // Undoing what the up migration created is what a down migration is for.
    inDownMigrations: false,
  },
  check(ctx) {
    const warnings = prismaWarnings(ctx.file);
    for (const f of fileFindings(ctx.file)) {
      ctx.report({ statement: f.stmt, start: f.start, end: f.end, message: f.message + (confirmation(warnings, f.names) ?? '') });
    }
  },
  historySteps: (file) => file.parsed.statements.some(changesTypes),
  checkCatalog(ctx) {
    const warningsOf = new Map<string, string[]>();
    historyFindings(ctx.steps, (path, f) => {
      const file = ctx.files.get(path)!;
      if (!warningsOf.has(path)) warningsOf.set(path, prismaWarnings(file.parsed));
      ctx.report({ origin: { file: path, start: f.start, end: f.end }, message: f.message + (confirmation(warningsOf.get(path)!, f.names) ?? '') });
    });
  },
});
