import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { FileSystemView } from '../../core/src/catalog/layouts';
import { emptyCatalog, type Catalog } from '../../core/src/catalog/model';
import { applyFile } from '../../core/src/catalog/replay';
import { resolveConfig } from '../../core/src/engine/resolve-config';
import { DEFAULT_PGVET_JSON, type RuleSetting } from '../../core/src/config/schema';
import { lintSql } from '../../core/src/engine/lint';
import type { MigrationState } from '../../core/src/rule-kit/types';
import type { Finding, TextEdit } from '../../core/src/rule-kit/types';
import { initParser, parseSqlFile } from '../../core/src/parse/sql/parser';
import { RULES } from '../../core/src/rules';
import { allRulesConfig, assertFixesClean, describeFindings, fixesOf, newFindings, type FixProblem, type LintedFile } from './fix-check';

export interface ValidCase {
  name?: string;
  sql: string;
  /** Path of the file, which decides its migration layout (default: a plain file). */
  path?: string;
  /** Other files by path, for layouts that read them (diesel's metadata.toml …). */
  files?: Record<string, string>;
  options?: Record<string, unknown>;
  /** Migrations that ran before this file, in order: replayed into the catalog the rule sees as `catalogBefore`. */
  history?: string[];
  /** The file as an applied or pending migration of its history (engine/migration-state.ts); a file on its own when absent. */
  migration?: MigrationState;
}

export interface InvalidCase extends ValidCase {
  /** One entry per expected finding, in file order: the exact underlined text and/or a message pattern. */
  errors: { text?: string; message?: RegExp }[];
  /** The file after applying the main fix of every finding of this rule; it must parse, and the rule must have nothing left to fix in it. */
  output?: string;
}

/** Applies non-overlapping edits (later ones first so offsets stay valid). */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  let limit = Infinity;
  for (const e of sorted) {
    if (e.end > limit) continue; // overlaps an edit already applied
    out = out.slice(0, e.start) + e.newText + out.slice(e.end);
    limit = e.start;
  }
  return out;
}

/** The findings of one rule on one case, the rule on at its default severity (warning when off by default). */
export function lintOnly(ruleId: string, c: ValidCase): Finding[] {
  const rules: Record<string, RuleSetting> = {};
  for (const r of RULES) rules[r.id] = 'off';
  rules[ruleId] = c.options ? ['warning', c.options] : 'warning';
  // Keep the rule's own default severity visible when it is not 'off'.
  const rule = RULES.find((r) => r.id === ruleId);
  if (rule && rule.meta.defaultSeverity !== 'off') rules[ruleId] = c.options ? [rule.meta.defaultSeverity, c.options] : rule.meta.defaultSeverity;
  const config = resolveConfig({ ...DEFAULT_PGVET_JSON, rules });
  assert.deepEqual(config.problems, [], 'test case options must be valid');
  const fs: FileSystemView = { readFile: (p) => c.files?.[p] };
  let catalogBefore: Catalog | undefined;
  if (c.history) {
    catalogBefore = emptyCatalog();
    c.history.forEach((sql, i) => applyFile(catalogBefore!, `/project/db/history-${i}.sql`, parseSqlFile(sql)));
  }
  const result = lintSql({ text: c.sql, path: c.path ?? '/project/db/schema.sql', config, fs, catalogBefore, migration: c.migration });
  assert.deepEqual(result.ruleFailures, [], 'the rule must not throw');
  return result.findings.filter((f) => f.ruleId === ruleId);
}

/** Resolves a fix's `relativePath` against the folder of `path` (POSIX paths). */
function besideFile(path: string, relativePath: string): string {
  const parts = path.split('/').slice(0, -1);
  for (const p of relativePath.split('/')) {
    if (p === '..') parts.pop();
    else if (p !== '.' && p !== '') parts.push(p);
  }
  return parts.join('/');
}

/**
 * Every fix of every finding of the rule, applied alone, then the file (and any file the fix creates) linted with
 * all rules on: what is new at warning or above (see fix-check.ts), one line each.
 */
export function fixCheckProblems(ruleId: string, c: InvalidCase): FixProblem[] {
  const path = c.path ?? '/project/db/schema.sql';
  const config = allRulesConfig({}, { ruleId, options: c.options });
  const lintAt = (at: string, text: string, files: Record<string, string>): LintedFile => {
    const r = lintSql({ text, path: at, config, fs: { readFile: (p) => files[p] } });
    return { parsed: r.file, findings: r.findings };
  };
  const before = lintAt(path, c.sql, c.files ?? {});
  const problems: FixProblem[] = [];
  for (const finding of lintOnly(ruleId, c)) {
    for (const fix of fixesOf(finding)) {
      const files = { ...c.files };
      const created = (fix.createFiles ?? []).map((f) => ({ path: besideFile(path, f.relativePath), content: f.content }));
      for (const f of created) files[f.path] = f.content;
      const text = applyEdits(c.sql, fix.edits);
      const add = (lines: string[]) => problems.push(...lines.map((line) => ({ fixTitle: fix.title, line })));
      add(describeFindings(path, text, newFindings(before, lintAt(path, text, files), fix.edits)));
      for (const f of created.filter((x) => x.path.endsWith('.sql'))) add(describeFindings(f.path, f.content, newFindings(undefined, lintAt(f.path, f.content, files), [])));
    }
  }
  return problems;
}

/** Table-driven tests for one rule, in the style of ESLint's RuleTester. */
export function ruleTests(ruleId: string, cases: { valid: ValidCase[]; invalid: InvalidCase[] }): void {
  describe(ruleId, () => {
    before(() => initParser());
    test('has valid and invalid cases', () => {
      assert.ok(RULES.some((r) => r.id === ruleId), `rule ${ruleId} is registered`);
      assert.ok(cases.valid.length > 0, 'at least one valid case');
      assert.ok(cases.invalid.length > 0, 'at least one invalid case');
    });
    for (const [k, c] of cases.valid.entries()) {
      test(`valid ${k + 1}: ${c.name ?? c.sql.slice(0, 60)}`, () => {
        const findings = lintOnly(ruleId, c);
        assert.deepEqual(findings.map((f) => `${f.message} @ ${JSON.stringify(c.sql.slice(f.start, f.end))}`), []);
      });
    }
    for (const [k, c] of cases.invalid.entries()) {
      test(`invalid ${k + 1}: ${c.name ?? c.sql.slice(0, 60)}`, () => {
        const findings = lintOnly(ruleId, c);
        assert.equal(findings.length, c.errors.length, `expected ${c.errors.length} finding(s), got: ${findings.map((f) => f.message).join(' | ')}`);
        c.errors.forEach((e, i) => {
          if (e.text !== undefined) assert.equal(c.sql.slice(findings[i].start, findings[i].end), e.text);
          if (e.message) assert.match(findings[i].message, e.message);
        });
        if (c.output !== undefined) {
          const edits = findings.flatMap((f) => f.fix?.edits ?? []);
          const fixed = applyEdits(c.sql, edits);
          assert.equal(fixed, c.output);
          const bad = parseSqlFile(fixed).statements.filter((s) => s.status === 'syntax-error');
          assert.deepEqual(bad.map((s) => s.error?.message), [], 'the fixed SQL must parse');
          const after = lintOnly(ruleId, { ...c, sql: fixed }).filter((f) => f.fix);
          assert.deepEqual(after.map((f) => f.message), [], 'after the fix, the rule has nothing left to fix');
        }
      });
      test(`invalid ${k + 1}, every fix leaves no new warning under all rules`, (t) => assertFixesClean(t, ruleId, fixCheckProblems(ruleId, c)));
    }
  });
}
