import { allTables, type Policy } from '../catalog/model';
import { originOrder, tableLabel } from '../catalog/queries';
import { policyObject } from '../rule-kit/object-identity';
import { tableReference } from '../fixes/edits';
import { reportPlanned, type PlannedReport } from '../fixes/new-migration';
import { defineRule } from '../rule-kit/define-rule';

export const policyWithoutRls = defineRule({
  id: 'policy-without-rls',
  meta: {
    description: 'CREATE POLICY on a table whose row level security is not enabled: PostgreSQL ignores the policy.',
    category: 'schema',
    defaultSeverity: 'error',
    fix: 'suggestion',
  },
  checkCatalog(ctx) {
    const order = originOrder(ctx.files);
    const reports: PlannedReport[] = [];
    for (const table of allTables(ctx.catalog)) {
      if (table.rls.enabled || table.policies.length === 0) continue;
      const name = tableLabel(table);
      const policies = [...table.policies].sort((a, b) => order(a.origin) - order(b.origin));
      // Every finding in one file inserts the same statement after the first policy of that file, so "fix all" adds it once.
      const firstInFile = new Map<string, Policy>();
      for (const p of policies) if (!firstInFile.has(p.origin.file)) firstInFile.set(p.origin.file, p);
      const why = table.rls.origin ? 'a later migration disabled row level security on it' : 'row level security is never enabled on it';
      for (const policy of policies) {
        reports.push({
          object: policyObject(table, policy),
          origin: policy.origin,
          message: `Policy "${policy.name}" on "${name}" has no effect: ${why}, so PostgreSQL ignores its policies and every role with privileges sees and changes every row. `
            + `Enable it with ALTER TABLE ${tableReference(table)} ENABLE ROW LEVEL SECURITY.`,
          plan: {
            after: firstInFile.get(policy.origin.file)!.origin,
            names: [{ schema: table.schema, table: table.name }],
            up: [`ALTER TABLE ${tableReference(table)} ENABLE ROW LEVEL SECURITY;`],
            down: [`ALTER TABLE ${tableReference(table)} DISABLE ROW LEVEL SECURITY;`],
            title: `Enable row level security on ${name}`,
            slug: `enable_rls_${table.name}`,
          },
        });
      }
    }
    reportPlanned(ctx, reports);
  },
});
