import type { LayoutId } from './types';

/** Layouts whose tool pairs every up migration with a down (a file, or a section of the same file). */
export const LAYOUTS_WITH_DOWNS: ReadonlySet<LayoutId> = new Set<LayoutId>(['golang-migrate', 'diesel', 'goose', 'dbmate', 'flyway', 'pop', 'sqitch']);

/** The tool behind a layout, as a user knows it (for messages). */
const TOOL_NAMES: Record<LayoutId, string> = {
  prisma: 'Prisma Migrate', supabase: 'The Supabase CLI', 'golang-migrate': 'golang-migrate', diesel: 'Diesel', goose: 'goose',
  dbmate: 'dbmate', flyway: 'Flyway', drizzle: 'drizzle-kit', pop: 'pop', sqitch: 'Sqitch', plain: 'A plain folder of SQL files',
};

export function toolName(layout: LayoutId): string {
  return TOOL_NAMES[layout];
}

/**
 * Whether a history keeps down migrations at all: its layout pairs them, and for Flyway (whose undo files are a
 * paid edition's feature) at least one `U…` file exists. Prisma, Supabase, drizzle and plain folders keep none:
 * nothing there can be rolled back, so a missing down is not a finding about one migration.
 */
export function historyKeepsDowns(set: { layout: LayoutId; migrations: readonly { downPath?: string }[] }): boolean {
  if (!LAYOUTS_WITH_DOWNS.has(set.layout)) return false;
  return set.layout !== 'flyway' || set.migrations.some((m) => m.downPath !== undefined);
}
