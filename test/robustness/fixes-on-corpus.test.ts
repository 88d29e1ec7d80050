import assert from 'node:assert/strict';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import type { DirectoryView } from '../../core/src/catalog/layouts';
import { dirName, joinPath } from '../../core/src/catalog/layouts/paths';
import { nodeDirectoryView } from '../../core/src/fs/disk';
import { lintSql } from '../../core/src/engine/lint';
import type { Finding, Fix } from '../../core/src/rule-kit/types';
import { WorkspaceIndex } from '../../core/src/engine/workspace';
import { initParser } from '../../core/src/parse/sql/parser';
import { applyEdits } from '../support/rule-tester';
import { allRulesConfig, describeFindings, fixesOf, knownUnclean, newFindings, type LintedFile } from '../support/fix-check';

/**
 * The fix check (test/support/fix-check.ts) on real histories: in each project, the fixes of every rule in the
 * newest migrations (a few per rule) are applied one at a time, the project is indexed again with the fixed and created files laid over the disk, and
 * the changed files are linted with all rules on. Small projects keep it to seconds on two cores.
 */
const corpus = path.resolve(__dirname, '../../../shared/corpus');
// PGVET_FIX_CHECK_PROJECTS=hatchet-dev__hatchet,… checks others (hatchet, goose with 224 migrations, takes a minute).
const PROJECTS = process.env.PGVET_FIX_CHECK_PROJECTS?.split(',') ?? ['hoppscotch__hoppscotch', 'umami-software__umami', 'supabase__storage', 'prisma__prisma-examples', 'Dokploy__dokploy'];
const FIXES_PER_RULE = 3;

/** The disk with some files replaced or added (created folders appear in their parent's listing). */
function layered(files: ReadonlyMap<string, string>): DirectoryView {
  return {
    readFile: (p) => files.get(p) ?? nodeDirectoryView.readFile(p),
    list(dir) {
      const entries = nodeDirectoryView.list(dir);
      for (const p of files.keys()) {
        if (!p.startsWith(`${dir}/`)) continue;
        const [name, ...rest] = p.slice(dir.length + 1).split('/');
        if (!entries.some((e) => e.name === name)) entries.push({ name, isDirectory: rest.length > 0 });
      }
      return entries;
    },
  };
}

/** The .sql files of the project's histories (those in `only`, when given) linted with all rules on, as the CLI does. */
function lintProject(root: string, files: ReadonlyMap<string, string>, only?: ReadonlySet<string>): Map<string, LintedFile & { text: string }> {
  const view = layered(files);
  const index = new WorkspaceIndex([root], view);
  index.build();
  index.focusAll();
  const config = allRulesConfig();
  const out = new Map<string, LintedFile & { text: string }>();
  for (const set of index.migrationSets()) {
    for (const m of set.migrations) {
      if (only && !only.has(m.path)) continue;
      const text = view.readFile(m.path)!;
      const r = lintSql({ text, path: m.path, config, fs: view, catalogFindings: index.catalogFindings(m.path, config), parsed: index.parsedText(m.path, text) });
      out.set(m.path, { text, parsed: r.file, findings: r.findings });
    }
  }
  return out;
}

function resolveBeside(file: string, relativePath: string): string {
  let dir = dirName(file);
  for (const part of relativePath.split('/')) {
    if (part === '..') dir = dirName(dir);
    else if (part !== '.' && part !== '') dir = joinPath(dir, part);
  }
  return dir;
}

before(() => initParser());

describe('fixes on corpus histories leave no new warning under all rules', () => {
  for (const project of PROJECTS) {
    test(project, (t) => {
      const root = path.join(corpus, project);
      const original = lintProject(root, new Map());
      assert.ok(original.size > 0, `no migrations found in ${project}`);
      const perRule = new Map<string, number>();
      const sample: { file: string; finding: Finding; fix: Fix }[] = [];
      // Newest migrations first: they change tables that already exist, where fixes have the most to get right.
      for (const [file, linted] of [...original].reverse()) {
        for (const finding of linted.findings) {
          for (const fix of fixesOf(finding)) {
            const taken = perRule.get(finding.ruleId) ?? 0;
            if (taken >= FIXES_PER_RULE) continue;
            perRule.set(finding.ruleId, taken + 1);
            sample.push({ file, finding, fix });
          }
        }
      }
      const problems: string[] = [];
      const known: string[] = [];
      for (const { file, finding, fix } of sample) {
        const changed = new Map<string, string>();
        if (fix.edits.length) changed.set(file, applyEdits(original.get(file)!.text, fix.edits));
        const created = (fix.createFiles ?? []).map((f) => resolveBeside(file, f.relativePath));
        (fix.createFiles ?? []).forEach((f, i) => changed.set(created[i], f.content));
        const after = lintProject(root, changed, new Set(changed.keys()));
        const found: string[] = [];
        const edited = after.get(file);
        if (edited && fix.edits.length) found.push(...describeFindings(file, edited.text, newFindings(original.get(file), edited, fix.edits)));
        for (const p of created) {
          const linted = after.get(p);
          if (linted) found.push(...describeFindings(p, linted.text, newFindings(undefined, linted, [])));
        }
        const isKnown = knownUnclean(finding.ruleId, fix.title) !== undefined;
        (isKnown ? known : problems).push(...found.map((l) => `${finding.ruleId} "${fix.title}" → ${l.replace(`${corpus}/`, "")}`));
      }
      t.diagnostic(`${sample.length} fixes of ${perRule.size} rules checked: ${[...perRule.keys()].sort().join(", ")}`);
      for (const k of known) t.diagnostic(`known unclean: ${k}`);
      assert.deepEqual(problems, []);
    });
  }
});
