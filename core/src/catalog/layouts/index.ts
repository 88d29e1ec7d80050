import { dbmateLayout } from './dbmate';
import { dieselLayout } from './diesel';
import { drizzleLayout } from './drizzle';
import { flywayLayout } from './flyway';
import { golangMigrateLayout } from './golang-migrate';
import { gooseLayout } from './goose';
import { plainLayout } from './plain';
import { popLayout } from './pop';
import { prismaLayout } from './prisma';
import { sqitchLayout } from './sqitch';
import { supabaseLayout } from './supabase';
import { NO_FS, type FileContext, type FileSystemView, type LayoutId, type LayoutSpec } from './types';

export * from './types';

/** Most specific first: annotations in the text beat path conventions; `plain` catches the rest. */
export const LAYOUTS: readonly LayoutSpec[] = [
  gooseLayout, dbmateLayout, drizzleLayout, prismaLayout, supabaseLayout, dieselLayout,
  popLayout, golangMigrateLayout, flywayLayout, sqitchLayout, plainLayout,
];

export function layoutById(id: LayoutId): LayoutSpec {
  return LAYOUTS.find((l) => l.id === id) ?? plainLayout;
}

/** How the migration tool that owns `path` will run it. `forced` comes from pgvet.json. */
export function detectFileContext(path: string | undefined, text: string, fs: FileSystemView = NO_FS, forced?: LayoutId): FileContext {
  const p = path ?? '';
  const spec = forced ? layoutById(forced) : LAYOUTS.find((l) => l.matches(p, text, fs)) ?? plainLayout;
  return { path, layout: spec.id, ...spec.context(p, text, fs) };
}
