import assert from 'node:assert/strict';
import { resolveConfig } from '../../core/src/engine/resolve-config';
import { DEFAULT_PGVET_JSON, type PgvetJson, type RuleSetting } from '../../core/src/config/schema';
import { lintDocument, Workspace } from '../../core/src/engine/lint-document';
import type { ResolvedConfig } from '../../core/src/engine/resolve-config';
import { parsePrismaFile } from '../../core/src/parse/prisma';
import { RULES } from '../../core/src/rules';
import type { SqlFile } from '../../core/src/parse/sql/parser';
import { applyEdits } from './catalog-rule-tester';
import { allRulesConfig, describeFindings, knownUnclean, newFindings, type LintedFile } from './fix-check';

/** Prisma findings belong to no SQL statement: the fix check compares them by rule within the schema. */
const NO_STATEMENTS = { statements: [] } as unknown as SqlFile;

/** A schema alone (no migrations beside it), linted through the engine's front door as the editor lints it. */
function lintSchema(text: string, config: ResolvedConfig) {
  return lintDocument(new Workspace({ readFile: () => undefined, list: () => [] }), { path: '/p/prisma/schema.prisma', text, language: 'prisma', config }).findings;
}

/** Prisma quick fixes: run through lintDocument (the rules get the parsed schema), apply the fix, re-parse, re-lint. */
export function prismaFixed(ruleId: string, schema: string, project: Partial<PgvetJson> = {}, options?: Record<string, unknown>): string | undefined {
  const own: RuleSetting = options ? ['warning', options] : 'warning';
  const rules: Record<string, RuleSetting> = Object.fromEntries(RULES.map((r) => [r.id, r.id === ruleId ? own : 'off']));
  const config = resolveConfig({ ...DEFAULT_PGVET_JSON, ...project, rules });
  const lint = (text: string) => lintSchema(text, config).filter((f) => f.ruleId === ruleId);
  const findings = lint(schema);
  assert.equal(findings.length, 1, findings.map((f) => f.message).join('\n'));
  if (!findings[0].fix) return undefined;
  const fixed = applyEdits(schema, findings[0].fix.edits);
  assert.deepEqual(parsePrismaFile(fixed, 'schema.prisma').diagnostics.map((d) => d.message), [], 'the fixed schema parses');
  assert.deepEqual(lint(fixed).map((f) => f.message), [], 'nothing left to report after the fix');
  // The fix check (fix-check.ts): with all rules on, the fixed schema has no warning of a rule it did not have.
  const all = allRulesConfig(project, options && { ruleId, options });
  const lintAll = (text: string): LintedFile => ({ parsed: NO_STATEMENTS, findings: lintSchema(text, all) });
  const known = knownUnclean(ruleId, findings[0].fix.title) !== undefined;
  if (!known) assert.deepEqual(describeFindings('schema.prisma', fixed, newFindings(lintAll(schema), lintAll(fixed), findings[0].fix.edits)), [], 'no new warning under all rules');
  return fixed;
}

/** A PostgreSQL datasource block to put before the models of a test schema. */
export const DS = 'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n\n';
