import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { detectFileContext, layoutById, type DirectoryView, type FileSystemView, type LayoutId } from '../../core/src/catalog/layouts';
import { dirName, segments } from '../../core/src/catalog/layouts/paths';
import { emptyCatalog, type Catalog } from '../../core/src/catalog/model';
import { applyFile } from '../../core/src/catalog/replay';
import { resolveConfig } from '../../core/src/engine/resolve-config';
import { markSchemasSet } from '../../core/src/engine/exposure';
import { DEFAULT_PGVET_JSON, type PgvetJson, type RuleSetting } from '../../core/src/config/schema';
import { lintDocument, Workspace } from '../../core/src/engine/lint-document';
import { WorkspaceIndex } from '../../core/src/engine/workspace';
import type { Finding, HistoryFile, TextEdit } from '../../core/src/rule-kit/types';
import { initParser, parseSqlFile } from '../../core/src/parse/sql/parser';
import { RULES } from '../../core/src/rules';
import { allRulesConfig, assertFixesClean, describeFindings, fixesOf, newFindings, type FixProblem, type LintedFile } from './fix-check';

/** Where the test histories live; file keys of a case are relative to it. */
const ROOT = '/project';

export interface CatalogCase {
  name?: string;
  /** Migration files in the order they run, by path relative to the project (`migrations/001_init.sql`). */
  files?: Record<string, string>;
  /** A Prisma schema instead of a history: the catalog is built from its models (`files` are then its migrations). */
  prisma?: string;
  /** Forces the layout of every file (else detected from each path and text). */
  layout?: LayoutId;
  /** Files that are not migrations but that layouts read (diesel's metadata.toml …), by relative path. */
  extraFiles?: Record<string, string>;
  project?: Partial<Omit<PgvetJson, 'tenant'>> & { tenant?: Partial<PgvetJson['tenant']> };
  options?: Record<string, unknown>;
}

export interface CatalogInvalidCase extends CatalogCase {
  /** One entry per expected finding, in history order: the file, the exact underlined text, a message pattern. */
  errors: { file?: string; text?: string; message?: RegExp }[];
  /**
   * The files after applying the main fix of every finding (created files included), by relative path.
   * Every changed or created file must be listed; the fixed SQL must parse and the rule must have nothing left to fix.
   */
  output?: Record<string, string>;
}

export interface Located extends Finding {
  file: string;
}

const PRISMA_PATH = 'schema.prisma';

function configFor(ruleId: string, c: CatalogCase) {
  const rules: Record<string, RuleSetting> = {};
  for (const r of RULES) rules[r.id] = 'off';
  // Other rules as the case's pgvet.json sets them (off unless it says): a rule may read another's setting.
  Object.assign(rules, c.project?.rules);
  const rule = RULES.find((r) => r.id === ruleId);
  const severity = rule && rule.meta.defaultSeverity !== 'off' ? rule.meta.defaultSeverity : 'warning';
  rules[ruleId] = c.options ? [severity, c.options] : severity;
  const project: PgvetJson = {
    ...DEFAULT_PGVET_JSON,
    ...c.project,
    tenant: { ...DEFAULT_PGVET_JSON.tenant, ...c.project?.tenant },
    rules,
  };
  // A case that sets schemas stands for a pgvet.json that sets them (it then wins over supabase/config.toml).
  if (c.project?.schemas) markSchemasSet(project);
  const config = resolveConfig(project);
  assert.deepEqual(config.problems, [], 'test case options must be valid');
  return config;
}

/** The history of a case as the workspace index builds it: catalog, files with their contexts. */
function buildHistory(files: Record<string, string>, c: CatalogCase): { catalog: Catalog; history: Map<string, HistoryFile> } {
  const all: Record<string, string> = { ...c.extraFiles, ...files };
  const fs: FileSystemView = { readFile: (p) => (p.startsWith(`${ROOT}/`) ? all[p.slice(ROOT.length + 1)] : undefined) };
  const catalog = emptyCatalog();
  const history = new Map<string, HistoryFile>();
  for (const [rel, text] of Object.entries(files)) {
    const path = `${ROOT}/${rel}`;
    const context = detectFileContext(path, text, fs, c.layout);
    const spec = layoutById(context.layout);
    const upText = spec.upSection ? spec.upSection(text) : text;
    const parsed = parseSqlFile(upText);
    applyFile(catalog, path, parsed);
    history.set(path, { path, text, parsed, context });
  }
  return { catalog, history };
}

/** A workspace holding the case's history in the order given (the files as the layouts read them, no disk). */
function historyWorkspace(files: Record<string, string>, c: CatalogCase): { workspace: Workspace; history: Map<string, HistoryFile> } {
  const all: Record<string, string> = { ...c.extraFiles, ...files };
  const { history } = buildHistory(files, c);
  const index = new WorkspaceIndex([], { readFile: (p) => (p.startsWith(`${ROOT}/`) ? all[p.slice(ROOT.length + 1)] : undefined), list: () => [] });
  const migrations = [...history.values()].map((f) => {
    const spec = layoutById(f.context.layout);
    return { path: f.path, layout: f.context.layout, version: '', text: f.text, upText: spec.upSection ? spec.upSection(f.text) : f.text, context: f.context };
  });
  // One history; the down files of paired layouts are not handed over (the reversibility tests pair them).
  index.adopt([{ dir: ROOT, layout: 'plain', migrations }]);
  index.focusAll();
  return { workspace: new Workspace(index.files, () => index), history };
}

function lintHistory(ruleId: string, c: CatalogCase, files: Record<string, string>): Located[] {
  const config = configFor(ruleId, c);
  const { workspace, history } = historyWorkspace(files, c);
  const out: Located[] = [];
  // Through lintDocument, as the editor and the CLI lint, so the files' ignore comments apply.
  for (const [path, file] of history) {
    const own = lintDocument(workspace, { path, text: file.text, language: 'sql', config });
    assert.deepEqual(own.ruleFailures, [], 'the rule must not throw');
    for (const f of own.findings) if (f.ruleId === ruleId) out.push({ ...f, file: path.slice(ROOT.length + 1) });
  }
  return out;
}

/** Files in memory under ROOT, by path relative to it, as a directory the engine can list. */
function memoryDirectory(files: Record<string, string>): DirectoryView {
  const rel = (p: string) => (p.startsWith(`${ROOT}/`) ? p.slice(ROOT.length + 1) : undefined);
  return {
    readFile: (p) => {
      const r = rel(p);
      return r === undefined ? undefined : files[r];
    },
    list: (dir) => {
      const r = dir === ROOT ? '' : rel(dir);
      if (r === undefined) return [];
      const prefix = r === '' ? '' : `${r}/`;
      const entries = new Map<string, boolean>();
      for (const p of Object.keys(files)) {
        if (!p.startsWith(prefix)) continue;
        const [name, ...rest] = p.slice(prefix.length).split('/');
        entries.set(name, (entries.get(name) ?? false) || rest.length > 0);
      }
      return [...entries].map(([name, isDirectory]) => ({ name, isDirectory }));
    },
  };
}

/**
 * A Prisma schema linted as the editor and the CLI lint it (lintDocument): `files`, when given, are the Prisma
 * Migrate history beside it (RLS state and drift come from them), so the schema sits next to their `migrations/`.
 */
function lintPrismaCase(ruleId: string, c: CatalogCase): Located[] {
  const config = configFor(ruleId, c);
  const files = c.files ?? {};
  const folder = Object.keys(files).map((p) => /^(.*?)migrations\//.exec(p)?.[1]).find((f) => f !== undefined) ?? '';
  const workspace = new Workspace(memoryDirectory({ ...c.extraFiles, ...files, [`${folder}${PRISMA_PATH}`]: c.prisma! }));
  const lint = lintDocument(workspace, { path: `${ROOT}/${folder}${PRISMA_PATH}`, text: c.prisma!, language: 'prisma', config });
  assert.ok(lint.language === 'prisma');
  assert.deepEqual(lint.result.file.diagnostics.map((d) => d.message), [], 'the Prisma schema parses');
  assert.deepEqual(lint.ruleFailures, [], 'the rule must not throw');
  if (Object.keys(files).length) assert.equal(lint.result.migrationsDir, `${ROOT}/${folder}migrations`, 'the migrations are beside the schema');
  return lint.findings.filter((f) => f.ruleId === ruleId).map((f) => ({ ...f, file: PRISMA_PATH }));
}

/** The findings of one rule on a history or a Prisma schema, each with the file it is in (relative to the project). */
export function lintCase(ruleId: string, c: CatalogCase, files = c.files ?? {}): Located[] {
  return c.prisma !== undefined ? lintPrismaCase(ruleId, c) : lintHistory(ruleId, c, files);
}

function textOf(c: CatalogCase, f: Located): string {
  const text = c.prisma !== undefined ? c.prisma : c.files![f.file];
  return text.slice(f.start, f.end);
}

/** Applies non-overlapping edits (later ones first); identical edits from several findings apply once. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const seen = new Set<string>();
  const unique = edits.filter((e) => {
    const key = `${e.start}:${e.end}:${e.newText}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const sorted = unique.sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  let limit = Infinity;
  for (const e of sorted) {
    if (e.end > limit) continue;
    out = out.slice(0, e.start) + e.newText + out.slice(e.end);
    limit = e.start;
  }
  return out;
}

/** Resolves `relativePath` against the folder of `file` (both relative to the project). */
function resolveRelative(file: string, relativePath: string): string {
  const parts = segments(dirName(`${ROOT}/${file}`));
  for (const p of relativePath.split('/')) {
    if (p === '..') parts.pop();
    else if (p !== '.' && p !== '') parts.push(p);
  }
  return `/${parts.join('/')}`.slice(ROOT.length + 1);
}

/** The history after the main fix of each finding: edits applied per file, created files appended (they are the newest migrations). */
function applyMainFixes(files: Record<string, string>, findings: Located[]): Record<string, string> {
  const out: Record<string, string> = { ...files };
  const byFile = new Map<string, TextEdit[]>();
  for (const f of findings) {
    if (!f.fix) continue;
    byFile.set(f.file, [...(byFile.get(f.file) ?? []), ...f.fix.edits]);
    for (const created of f.fix.createFiles ?? []) {
      const path = resolveRelative(f.file, created.relativePath);
      assert.ok(!(path in files), `a fix must not overwrite an existing file (${path})`);
      out[path] = created.content;
    }
  }
  for (const [file, edits] of byFile) out[file] = applyEdits(files[file], edits);
  return out;
}

/** Every file of a history linted with all rules on (schema rules on the history's catalog), by relative path. */
function lintHistoryAllRules(c: CatalogCase, files: Record<string, string>, extraFiles: Record<string, string>, own: { ruleId: string; options?: Record<string, unknown> }): Map<string, LintedFile> {
  const config = allRulesConfig(c.project as Partial<PgvetJson>, own);
  const { workspace, history } = historyWorkspace(files, { ...c, extraFiles });
  const out = new Map<string, LintedFile>();
  for (const [path, file] of history) {
    const r = lintDocument(workspace, { path, text: file.text, language: 'sql', config });
    if (r.language === 'sql') out.set(path.slice(ROOT.length + 1), { parsed: r.result.file, findings: r.findings });
  }
  return out;
}

/** Splits a history into its migrations and the other files (down files, metadata.toml …) the way the rule tests do. */
function splitHistory(files: Record<string, string>): { migrations: Record<string, string>; extra: Record<string, string> } {
  const migrations = Object.fromEntries(Object.entries(files).filter(([p]) => p.endsWith('.sql') && !p.endsWith('.down.sql') && !p.endsWith('/down.sql')));
  return { migrations, extra: Object.fromEntries(Object.entries(files).filter(([p]) => !(p in migrations))) };
}

/**
 * Every fix of every finding of the rule, applied alone to the history, then the history linted with all rules on:
 * what is new at warning or above in the files the fix changed or created (see fix-check.ts).
 */
function fixCheckProblems(ruleId: string, c: CatalogCase): FixProblem[] {
  const own = { ruleId, options: c.options };
  const start = splitHistory(c.files ?? {});
  const before = lintHistoryAllRules(c, start.migrations, { ...c.extraFiles, ...start.extra }, own);
  const problems: FixProblem[] = [];
  for (const finding of lintCase(ruleId, c)) {
    for (const fix of fixesOf(finding)) {
      const fixed: Record<string, string> = { ...c.files, [finding.file]: applyEdits(c.files![finding.file], fix.edits) };
      const created = (fix.createFiles ?? []).map((f) => resolveRelative(finding.file, f.relativePath));
      (fix.createFiles ?? []).forEach((f, i) => (fixed[created[i]] = f.content));
      const next = splitHistory(fixed);
      const after = lintHistoryAllRules(c, next.migrations, { ...c.extraFiles, ...next.extra }, own);
      const add = (path: string, found: ReturnType<typeof newFindings>) => problems.push(...describeFindings(path, fixed[path], found).map((line) => ({ fixTitle: fix.title, line })));
      const edited = after.get(finding.file);
      if (edited && fix.edits.length) add(finding.file, newFindings(before.get(finding.file), edited, fix.edits));
      for (const path of created) {
        const linted = after.get(path);
        if (linted) add(path, newFindings(undefined, linted, []));
      }
    }
  }
  return problems;
}

/** Table-driven tests for one schema rule on small migration histories (or Prisma schemas). */
export function catalogRuleTests(ruleId: string, cases: { valid: CatalogCase[]; invalid: CatalogInvalidCase[] }): void {
  describe(ruleId, () => {
    before(() => initParser());
    test('has valid and invalid cases', () => {
      const rule = RULES.find((r) => r.id === ruleId);
      assert.ok(rule, `rule ${ruleId} is registered`);
      assert.ok(rule.checkCatalog, 'it is a schema rule');
      assert.ok(cases.valid.length > 0, 'at least one valid case');
      assert.ok(cases.invalid.length > 0, 'at least one invalid case');
    });
    const label = (c: CatalogCase) => c.name ?? Object.keys(c.files ?? { prisma: '' }).join(', ');
    for (const [k, c] of cases.valid.entries()) {
      test(`valid ${k + 1}: ${label(c)}`, () => {
        const findings = lintCase(ruleId, c);
        assert.deepEqual(findings.map((f) => `${f.file}: ${f.message} @ ${JSON.stringify(textOf(c, f))}`), []);
      });
    }
    for (const [k, c] of cases.invalid.entries()) {
      test(`invalid ${k + 1}: ${label(c)}`, () => {
        const findings = lintCase(ruleId, c);
        assert.equal(findings.length, c.errors.length, `expected ${c.errors.length} finding(s), got:\n${findings.map((f) => `${f.file}: ${f.message}`).join('\n')}`);
        c.errors.forEach((e, i) => {
          if (e.file !== undefined) assert.equal(findings[i].file, e.file);
          if (e.text !== undefined) assert.equal(textOf(c, findings[i]), e.text);
          if (e.message) assert.match(findings[i].message, e.message);
        });
        if (c.output === undefined) return;
        assert.ok(c.files, 'fix outputs are checked on migration histories (Prisma fixes are another rule set)');
        const fixed = applyMainFixes(c.files, findings);
        const changed = Object.keys(fixed).filter((p) => fixed[p] !== c.files![p]);
        assert.deepEqual(changed.sort(), Object.keys(c.output).sort(), 'the files the fix changes or creates');
        for (const [path, text] of Object.entries(c.output)) {
          assert.equal(fixed[path], text, `fixed ${path}`);
          if (!path.endsWith('.sql')) continue;
          const bad = parseSqlFile(text).statements.filter((s) => s.status === 'syntax-error');
          assert.deepEqual(bad.map((s) => s.error?.message), [], `the fixed SQL of ${path} must parse`);
        }
        const migrations = Object.fromEntries(Object.entries(fixed).filter(([p]) => p.endsWith('.sql') && !p.endsWith('.down.sql') && !p.endsWith('/down.sql')));
        const extra = Object.fromEntries(Object.entries(fixed).filter(([p]) => !(p in migrations)));
        const after = lintHistory(ruleId, { ...c, extraFiles: { ...c.extraFiles, ...extra } }, migrations).filter((f) => f.fix);
        assert.deepEqual(after.map((f) => `${f.file}: ${f.message}`), [], 'after the fix, the rule has nothing left to fix');
      });
      // Prisma schema fixes edit the schema, not SQL: this check covers migration histories.
      if (c.prisma === undefined) {
        test(`invalid ${k + 1}, every fix leaves no new warning under all rules`, (t) => assertFixesClean(t, ruleId, fixCheckProblems(ruleId, c)));
      }
    }
  });
}
