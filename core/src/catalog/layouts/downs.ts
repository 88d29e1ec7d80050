import { LAYOUTS, layoutById } from './index';
import type { DownKind, LayoutId } from './types';

/** Where a layout keeps its down migrations (`LayoutSpec.down`). */
export function downKind(layout: LayoutId): DownKind {
  return layoutById(layout).down;
}

/** Layouts whose tool pairs every up migration with a down (a file, or a section of the same file). */
export const LAYOUTS_WITH_DOWNS: ReadonlySet<LayoutId> = new Set(LAYOUTS.filter((l) => l.down !== 'none').map((l) => l.id));

/** The tool behind a layout, as a user knows it (for messages). */
export function toolName(layout: LayoutId): string {
  return layoutById(layout).tool;
}

/**
 * Whether a history keeps down migrations at all: its layout pairs them, and for Flyway (whose undo files are a
 * paid edition's feature) at least one `U…` file exists. Prisma, Supabase, drizzle and plain folders keep none:
 * nothing there can be rolled back, so a missing down is not a finding about one migration.
 */
export function historyKeepsDowns(set: { layout: LayoutId; migrations: readonly { downPath?: string }[] }): boolean {
  if (downKind(set.layout) === 'none') return false;
  return set.layout !== 'flyway' || set.migrations.some((m) => m.downPath !== undefined);
}
