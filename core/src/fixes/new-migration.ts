import type { LayoutId } from '../catalog/layouts';
import { baseName, dirName, joinPath, segments } from '../catalog/layouts/paths';
import type { Origin } from '../catalog/model';
import { namesHoldAt, type NamesCheck } from '../catalog/queries';
import type { CatalogRuleContext, Fix, HistoryFile, ObjectIdentity } from '../rule-kit/types';
import { insertAfterOrigin, ONE_QUERY_STRING_LAYOUTS } from './edits';

/**
 * "Put it in a new migration": the next migration file of a history, named and laid out the way its tool
 * expects, so a fix never rewrites a migration that may already have run somewhere.
 */

export interface NewMigrationRequest {
  layout: LayoutId;
  /** Up files of the history in order (absolute or workspace paths, all in the same folder tree). */
  existing: readonly string[];
  /** The file the finding is reported in: created paths are relative to its folder. */
  originFile: string;
  /** What the migration does, as a file-name slug (`add_orders_customer_id_idx`). */
  name: string;
  /** Statements of the up migration; `concurrently` tells whether CONCURRENTLY may be used. */
  up(concurrently: boolean): string[];
  /** Statements that undo it (for the down section or file). */
  down(concurrently: boolean): string[];
  /** The statements are better run CONCURRENTLY when the tool allows a file outside a transaction. */
  wantsConcurrently: boolean;
  /** For tests: the clock used for timestamp versions. */
  now?: Date;
}

export interface NewMigration {
  /** Files to create, relative to the origin file's folder. */
  files: { relativePath: string; content: string }[];
  /** Whether the up statements were written with CONCURRENTLY (in a file its tool runs outside a transaction). */
  concurrently: boolean;
  /** The new migration's path relative to the migrations folder, for titles. */
  label: string;
  /** When CONCURRENTLY was wanted but the tool runs this file in a transaction: says so, for titles. */
  lockNote?: string;
}

/** Why a new migration of this tool cannot use CONCURRENTLY (its statements then lock as they run). */
const IN_TRANSACTION: Partial<Record<LayoutId, string>> = {
  prisma: 'a migration.sql of several statements is one transaction',
  'golang-migrate': 'a file of several statements is one transaction',
  supabase: 'the Supabase CLI runs a migration in a transaction',
  drizzle: 'drizzle-kit runs migrations in a transaction',
  pop: 'pop runs a migration in a transaction',
};

/** Tools whose single migration can be told to run outside a transaction, and how. */
const NON_TRANSACTIONAL: ReadonlySet<LayoutId> = new Set(['goose', 'dbmate', 'diesel', 'flyway', 'plain']);

/** Layouts whose migrations are folders (`<version>_<name>/migration.sql`, `…/up.sql`). */
const FOLDER_PER_MIGRATION: ReadonlySet<LayoutId> = new Set(['prisma', 'diesel']);

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** `YYYYMMDDHHMMSS` in UTC (what Prisma, Supabase, dbmate and goose -s write). */
export function timestampVersion(now: Date): string {
  return `${now.getUTCFullYear()}${pad2(now.getUTCMonth() + 1)}${pad2(now.getUTCDate())}${pad2(now.getUTCHours())}${pad2(now.getUTCMinutes())}${pad2(now.getUTCSeconds())}`;
}

/** The migration's own name in the folder: the folder name for folder layouts, else the file name. */
function entryName(layout: LayoutId, path: string): string {
  return FOLDER_PER_MIGRATION.has(layout) ? segments(path).at(-2) ?? '' : baseName(path);
}

function migrationsFolder(layout: LayoutId, path: string): string {
  return FOLDER_PER_MIGRATION.has(layout) ? dirName(dirName(path)) : dirName(path);
}

/** The version part of an entry name (`20240101000000`, `0003`, `2024-01-01-000000`, flyway's `1.2`) and what follows it. */
function splitVersion(layout: LayoutId, name: string): { version: string; separator: string } | undefined {
  if (layout === 'flyway') {
    const m = /^V(\d+(?:[._]\d+)*)(__)/.exec(name);
    return m ? { version: m[1], separator: m[2] } : undefined;
  }
  const m = /^(\d{4}-\d{2}-\d{2}-\d{6}|\d+)([_-]?)/.exec(name);
  return m ? { version: m[1], separator: m[2] || '_' } : undefined;
}

/**
 * The next version after `last`, in the same style: a timestamp stays a timestamp (now, or one second after
 * `last` when the clock is behind it), a counter goes up by one with the same zero padding.
 */
export function nextVersion(last: string | undefined, layout: LayoutId, now: Date): string {
  const timestampLayouts: LayoutId[] = ['prisma', 'supabase', 'dbmate', 'pop', 'diesel'];
  if (last === undefined) {
    if (layout === 'diesel') return dieselTimestamp(now);
    if (timestampLayouts.includes(layout)) return timestampVersion(now);
    if (layout === 'flyway') return '1';
    if (layout === 'drizzle') return '0000';
    return layout === 'goose' ? '00001' : '0001';
  }
  if (/^\d{4}-\d{2}-\d{2}-\d{6}$/.test(last)) {
    const candidate = dieselTimestamp(now);
    return candidate > last ? candidate : dieselTimestamp(new Date(parseTimestamp(last.replace(/-/g, '')).getTime() + 1000));
  }
  if (/[._]/.test(last)) {
    // Flyway dotted versions: bump the last part.
    const parts = last.split(/([._])/);
    const n = parts.length - 1;
    parts[n] = String(BigInt(parts[n]) + 1n).padStart(parts[n].length, '0');
    return parts.join('');
  }
  if (last.length >= 12 && /^(19|20)\d{2}(0[1-9]|1[0-2])/.test(last)) {
    const now14 = timestampVersion(now).slice(0, last.length).padEnd(last.length, '0');
    if (now14 > last) return now14;
    return String(BigInt(last) + 1n);
  }
  const next = String(BigInt(last) + 1n);
  return last.startsWith('0') ? next.padStart(last.length, '0') : next;
}

function parseTimestamp(v: string): Date {
  return new Date(Date.UTC(+v.slice(0, 4), +v.slice(4, 6) - 1, +v.slice(6, 8), +v.slice(8, 10), +v.slice(10, 12), +v.slice(12, 14)));
}

function dieselTimestamp(now: Date): string {
  const t = timestampVersion(now);
  return `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}-${t.slice(8)}`;
}

/** POSIX relative path from folder `from` to `to`. */
function relativePath(from: string, to: string): string {
  const a = segments(from);
  const b = segments(to);
  let k = 0;
  while (k < a.length && k < b.length && a[k] === b[k]) k++;
  return [...a.slice(k).map(() => '..'), ...b.slice(k)].join('/');
}

function sqlBlock(statements: string[]): string {
  return statements.join('\n');
}

/** The versions of an `existing` list (per layout): a rule asks for many fixes against the same history. */
const versionsOf = new WeakMap<readonly string[], { layout: string; names: string[]; versions: { version: string; separator: string }[] }>();

/** The next migration of a history with `up` (and `down` where the tool keeps one), or undefined when the tool needs more than new files (sqitch's plan). */
export function newMigration(req: NewMigrationRequest): NewMigration | undefined {
  const { layout } = req;
  if (layout === 'sqitch') return undefined; // a change must also be added to sqitch.plan, which is not a new file
  const last = req.existing.at(-1) ?? req.originFile;
  const folder = migrationsFolder(layout, last);
  let known = versionsOf.get(req.existing);
  if (known?.layout !== layout) {
    const names = req.existing.map((p) => entryName(layout, p));
    const versions = names.map((n) => splitVersion(layout, n)).filter((v): v is { version: string; separator: string } => v !== undefined);
    versionsOf.set(req.existing, (known = { layout, names, versions }));
  }
  const { names, versions } = known;
  const lastVersion = versions.at(-1);
  const now = req.now ?? new Date();
  let version = nextVersion(lastVersion?.version, layout, now);
  // A plain folder of unnumbered files sorts by name: a timestamp keeps the new file last.
  if (layout === 'plain' && !lastVersion) version = timestampVersion(now);
  const sep = layout === 'flyway' ? '__' : lastVersion?.separator ?? '_';
  const slug = req.name.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '').toLowerCase() || 'pgvet_fix';
  const concurrently = req.wantsConcurrently
    && (NON_TRANSACTIONAL.has(layout) || (ONE_QUERY_STRING_LAYOUTS.has(layout) && req.up(true).length === 1 && req.down(true).length <= 1));
  const up = sqlBlock(req.up(concurrently));
  const down = sqlBlock(req.down(concurrently));
  const header = `-- Generated by pgvet.\n`;
  const out: { path: string; content: string }[] = [];
  switch (layout) {
    case 'prisma': {
      out.push({ path: joinPath(joinPath(folder, `${version}_${slug}`), 'migration.sql'), content: `${header}${up}\n` });
      break;
    }
    case 'diesel': {
      const dir = joinPath(folder, `${version}_${slug}`);
      out.push({ path: joinPath(dir, 'up.sql'), content: `${header}${up}\n` }, { path: joinPath(dir, 'down.sql'), content: `${down}\n` });
      if (concurrently) out.push({ path: joinPath(dir, 'metadata.toml'), content: 'run_in_transaction = false\n' });
      break;
    }
    case 'goose': {
      const noTx = concurrently ? '-- +goose NO TRANSACTION\n' : '';
      out.push({ path: joinPath(folder, `${version}${sep}${slug}.sql`), content: `${noTx}-- +goose Up\n${up}\n\n-- +goose Down\n${down}\n` });
      break;
    }
    case 'dbmate': {
      out.push({ path: joinPath(folder, `${version}${sep}${slug}.sql`), content: `-- migrate:up${concurrently ? ' transaction:false' : ''}\n${up}\n\n-- migrate:down\n${down}\n` });
      break;
    }
    case 'golang-migrate': {
      out.push({ path: joinPath(folder, `${version}${sep}${slug}.up.sql`), content: `${up}\n` }, { path: joinPath(folder, `${version}${sep}${slug}.down.sql`), content: `${down}\n` });
      break;
    }
    case 'pop': {
      const dialect = names.some((n) => /\.postgres\.up\.sql$/.test(n)) ? '.postgres' : '';
      out.push({ path: joinPath(folder, `${version}${sep}${slug}${dialect}.up.sql`), content: `${up}\n` }, { path: joinPath(folder, `${version}${sep}${slug}${dialect}.down.sql`), content: `${down}\n` });
      break;
    }
    case 'flyway': {
      // Flyway runs a migration containing CONCURRENTLY outside a transaction on its own.
      out.push({ path: joinPath(folder, `V${version}__${slug}.sql`), content: `${header}${up}\n` });
      break;
    }
    case 'drizzle': {
      // drizzle-kit migrate only runs files listed in meta/_journal.json; `drizzle-kit generate --custom` makes the entry.
      const journal = '-- Add this file to meta/_journal.json (or create it with `drizzle-kit generate --custom` and paste this in).\n';
      out.push({ path: joinPath(folder, `${version}${sep}${slug}.sql`), content: `${header}${journal}${req.up(false).join('\n--> statement-breakpoint\n')}\n` });
      break;
    }
    case 'supabase':
    case 'plain':
      out.push({ path: joinPath(folder, `${version}${sep}${slug}.sql`), content: `${header}${up}\n` });
      break;
  }
  const originDir = dirName(req.originFile);
  return {
    files: out.map((f) => ({ relativePath: relativePath(originDir, f.path), content: f.content })),
    concurrently,
    label: relativePath(folder, out[0].path),
    lockNote: req.wantsConcurrently && !concurrently ? `without CONCURRENTLY, so it locks writes while it builds: ${IN_TRANSACTION[layout] ?? 'it runs in a transaction'}` : undefined,
  };
}

/** `newMigration` for a history as the schema rules see it (the files map is in history order). */
/** The files of each layout per history (the same list object each time, so `entryNames` can cache by it). */
const existingByFiles = new WeakMap<ReadonlyMap<string, HistoryFile>, Map<LayoutId, string[]>>();

export function newMigrationFix(
  files: ReadonlyMap<string, HistoryFile>,
  originFile: string,
  spec: Omit<NewMigrationRequest, 'layout' | 'existing' | 'originFile'> & { title: (m: NewMigration) => string },
): Fix | undefined {
  const origin = files.get(originFile);
  if (!origin) return undefined;
  const byLayout = existingByFiles.get(files) ?? new Map<LayoutId, string[]>();
  existingByFiles.set(files, byLayout);
  let existing = byLayout.get(origin.context.layout);
  if (!existing) byLayout.set(origin.context.layout, (existing = [...files.values()].filter((f) => f.context.layout === origin.context.layout).map((f) => f.path)));
  const m = newMigration({ ...spec, layout: origin.context.layout, existing, originFile });
  if (!m) return undefined;
  return { title: m.lockNote ? `${spec.title(m)}, ${m.lockNote}` : spec.title(m), edits: [], createFiles: m.files, safe: false };
}

/** A fix a schema rule wants: statements inserted after a statement of the history, or else in a new migration. */
export interface PlannedStatements {
  /** The statement to insert after (a catalog origin). */
  after: Origin;
  /** Tables (and columns) the statements name: they must already have these names right after `after`. */
  names: Omit<NamesCheck, 'file' | 'start'>[];
  up: string[];
  down: string[];
  /**
   * The statements for a new migration, when they differ by whether it may use CONCURRENTLY (an index on a table
   * that already exists); `up` is what goes in place, after a statement of the file that created the table.
   */
  upInNewMigration?: (concurrently: boolean) => string[];
  /** Title of the in-place fix; the new-migration fix says "… in a new migration (<file>)". */
  title: string;
  /** File-name slug of the new migration. */
  slug: string;
  /** False: only the new migration (what the statements need comes in a later file than the finding's). */
  inPlace?: false;
}

export interface PlannedReport {
  origin: Origin;
  object?: ObjectIdentity;
  message: string;
  plan?: PlannedStatements;
}

/**
 * Reports findings whose fix adds statements: in place when the statement's file is in the history and the names
 * it uses already hold there (no later RENAME), with "in a new migration" as the other fix; only the new migration
 * otherwise. One replay of the history answers every finding's name check.
 */
export function reportPlanned(ctx: Pick<CatalogRuleContext<unknown>, 'files' | 'report'>, reports: PlannedReport[]): void {
  const checks: NamesCheck[] = [];
  const owners: number[] = [];
  reports.forEach((r, i) => {
    for (const n of r.plan?.names ?? []) {
      checks.push({ ...n, file: r.plan!.after.file, start: r.plan!.after.start });
      owners.push(i);
    }
  });
  const answers = namesHoldAt(ctx.files, checks);
  const ok = reports.map(() => true);
  answers.forEach((a, k) => { if (!a) ok[owners[k]] = false; });
  reports.forEach((r, i) => {
    const plan = r.plan;
    if (!plan || !ctx.files.has(plan.after.file)) return ctx.report({ origin: r.origin, object: r.object, message: r.message });
    const edit = ok[i] && plan.inPlace !== false ? insertAfterOrigin(ctx.files, plan.after, plan.up.join('\n')) : undefined;
    const inPlace: Fix | undefined = edit && { title: plan.title, edits: [edit] };
    const later = newMigrationFix(ctx.files, plan.after.file, {
      name: plan.slug, up: plan.upInNewMigration ?? (() => plan.up), down: () => plan.down, wantsConcurrently: plan.upInNewMigration !== undefined,
      title: (m) => `${plan.title} in a new migration (${m.label})`,
    });
    ctx.report({ origin: r.origin, object: r.object, message: r.message, fix: inPlace ?? later, otherFixes: inPlace && later ? [later] : undefined });
  });
}
