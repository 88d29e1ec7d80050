/**
 * Features other engineers are still building. Each e2e check for them is skipped, with the reason
 * printed, until the feature shows up at run time (read from package.json and the server source),
 * so the suite passes today and starts checking them as soon as they land.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository root above `from` (this file is also bundled into dist-test/, so no fixed depth). */
export function findRepoRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'server/src'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no pgvet checkout above ${from}`);
  }
}

export interface Manifest {
  contributes?: {
    commands?: { command: string; title: string; category?: string }[];
    views?: Record<string, { id: string; name: string }[]>;
  };
}

export interface PendingFeatures {
  /** The EXPLAIN command, with its palette label ("pgvet: Explain"). */
  explain?: { command: string; title: string };
  /** Hover on identifiers (tables, columns): the server registers a hover handler. */
  tableHover?: true;
  /** A tree view of the catalog contributed by pgvet. */
  catalogView?: { id: string; name: string };
}

function sourceMentions(dir: string, pattern: RegExp): boolean {
  if (!existsSync(dir)) return false;
  for (const entry of readdirSync(dir)) {
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) {
      if (sourceMentions(p, pattern)) return true;
    } else if (p.endsWith('.ts') && pattern.test(readFileSync(p, 'utf8'))) return true;
  }
  return false;
}

/** `manifest`: the extension's package.json (the installed one inside VS Code); default: the checkout's. */
export function pendingFeatures(manifest?: Manifest, repoRoot = findRepoRoot()): PendingFeatures {
  manifest ??= JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as Manifest;
  const commands = manifest.contributes?.commands ?? [];
  const features: PendingFeatures = {};
  const explain = commands.find((c) => c.command === 'pgvet.explain') ?? commands.find((c) => c.command === 'pgvet.explainAnalyze');
  if (explain) features.explain = { command: explain.command, title: explain.category ? `${explain.category}: ${explain.title}` : explain.title };
  const views = Object.values(manifest.contributes?.views ?? {}).flat();
  const catalog = views.find((v) => v.id.startsWith('pgvet') && /catalog|schema/i.test(`${v.id} ${v.name}`));
  if (catalog) features.catalogView = { id: catalog.id, name: catalog.name };
  if (sourceMentions(join(repoRoot, 'server/src'), /\bonHover\s*\(/)) features.tableHover = true;
  return features;
}

/**
 * Checks switched off by hand: PGVET_E2E_SKIP_CHECKS=explain,tableHover,catalogView. For a feature
 * that has landed but is known broken, so the rest of the suite can still gate; the skip is printed.
 */
export function skippedByEnv(feature: keyof PendingFeatures): string | undefined {
  const list = (process.env.PGVET_E2E_SKIP_CHECKS ?? '').split(',').map((s) => s.trim());
  return list.includes(feature) ? `switched off by PGVET_E2E_SKIP_CHECKS=${process.env.PGVET_E2E_SKIP_CHECKS}` : undefined;
}
