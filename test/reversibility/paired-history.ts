import { migrationSetAt } from '../../core/src/catalog/history';
import type { DirectoryView } from '../../core/src/catalog/layouts';
import { segments } from '../../core/src/catalog/layouts/paths';
import { emptyCatalog } from '../../core/src/catalog/model';
import { applyFile } from '../../core/src/catalog/replay';
import { resolveConfig } from '../../core/src/engine/resolve-config';
import { DEFAULT_PGVET_JSON, type RuleSetting } from '../../core/src/config/schema';
import { lintCatalog } from '../../core/src/engine/catalog-lint';
import type { Finding, HistoryFile } from '../../core/src/rule-kit/types';
import { parseSqlFile } from '../../core/src/parse/sql/parser';
import { RULES } from '../../core/src/rules';

/** An in-memory folder tree from paths relative to `/project`. */
export function memoryDirectory(files: Record<string, string>): DirectoryView {
  const abs = new Map(Object.entries(files).map(([p, t]) => [`/project/${p}`, t]));
  return {
    readFile: (p) => abs.get(p),
    list: (dir) => {
      const depth = segments(dir).length;
      const seen = new Map<string, boolean>();
      for (const p of abs.keys()) {
        if (!p.startsWith(`${dir}/`)) continue;
        const s = segments(p);
        seen.set(s[depth], seen.get(s[depth]) || s.length > depth + 1);
      }
      return [...seen].map(([name, isDirectory]) => ({ name, isDirectory }));
    },
  };
}

/**
 * Runs one schema rule on a history the way the workspace would once it hands each up file's separate down
 * over as `HistoryFile.down` (found by the layout's own pairing): the case for golang-migrate, diesel,
 * Flyway, pop and sqitch, which the shared catalog-rule tester does not model.
 */
export function lintPairedHistory(ruleId: string, folder: string, files: Record<string, string>): (Finding & { file: string })[] {
  const fs = memoryDirectory(files);
  const set = migrationSetAt(`/project/${folder}`, fs);
  if (!set) throw new Error(`no migrations found in ${folder}`);
  const history = new Map<string, HistoryFile & { down?: { path: string; text: string } | null }>();
  for (const m of set.migrations) {
    const down = m.downPath ? { path: m.downPath, text: fs.readFile(m.downPath)! } : null;
    history.set(m.path, { path: m.path, text: m.text, parsed: parseSqlFile(m.upText), context: m.context, down });
  }
  const rules: Record<string, RuleSetting> = Object.fromEntries(RULES.map((r) => [r.id, r.id === ruleId ? 'warning' : 'off']));
  const result = lintCatalog(catalogOf(history), history, resolveConfig({ ...DEFAULT_PGVET_JSON, rules }));
  if (result.ruleFailures.length) throw new Error(result.ruleFailures[0].error);
  return [...result.byFile].flatMap(([file, list]) => list.map((f) => ({ ...f, file: file.slice('/project/'.length) })));
}

function catalogOf(history: Map<string, HistoryFile>) {
  const catalog = emptyCatalog();
  for (const f of history.values()) applyFile(catalog, f.path, f.parsed);
  return catalog;
}
