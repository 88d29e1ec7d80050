/**
 * `npm run demo`: lints the sample workspace in examples/ with the CLI, then builds an
 * embedded PostgreSQL (PGlite) from its migrations and explains a query there — no database to configure.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { analyzePlan } from '../core/src/explain/plan/metrics';
import { findTips } from '../core/src/explain/plan/tips';

const root = resolve(__dirname, '..');
const examples = join(root, 'examples');

function heading(text: string): void {
  process.stdout.write(`\n\u001b[1m== ${text}\u001b[0m\n\n`);
}

heading('pgvet lint examples/');
const lint = spawnSync(process.execPath, [join(root, 'dist/cli.js'), 'lint', 'examples'], { cwd: root, stdio: 'inherit' });
if (lint.status !== 0 && lint.status !== 1) process.exit(lint.status ?? 2);

/** The up migrations of the sample workspace, in the order their tools apply them. */
function migrations(): string[] {
  const prismaDir = join(examples, 'shop/prisma/migrations');
  const prisma = readdirSync(prismaDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => join(prismaDir, d.name, 'migration.sql'))
    .sort();
  const goDir = join(examples, 'billing/migrations');
  const golang = readdirSync(goDir).filter((f) => f.endsWith('.up.sql')).sort().map((f) => join(goDir, f));
  return [...prisma, ...golang];
}

async function explainDemo(): Promise<void> {
  heading('EXPLAIN ANALYZE on the embedded PostgreSQL built from the migrations');
  const db = await PGlite.create();
  for (const file of migrations()) {
    // The demo applies the migrations as written; CONCURRENTLY is dropped because PGlite runs everything in one session.
    const sql = readFileSync(file, 'utf8').replace(/\bCONCURRENTLY\b/g, '');
    await db.exec(sql);
    process.stdout.write(`applied ${file.slice(root.length + 1)}\n`);
  }
  await db.exec(`
    INSERT INTO tenants (id, name) SELECT ('00000000-0000-0000-0000-' || lpad(g::text, 12, '0'))::uuid, 'tenant ' || g FROM generate_series(1, 20) g;
    INSERT INTO customers (id, tenant_id, email, country)
      SELECT gen_random_uuid(), ('00000000-0000-0000-0000-' || lpad((1 + g % 20)::text, 12, '0'))::uuid, 'c' || g || '@example.com', 'NL' FROM generate_series(1, 2000) g;
    INSERT INTO orders (id, tenant_id, customer_id, customer_email, status, total)
      SELECT gen_random_uuid(), c.tenant_id, c.id, c.email, (ARRAY['new','paid','shipped','returned'])[1 + (g % 4)], (g % 500)::numeric
      FROM generate_series(1, 20000) g
      JOIN (SELECT *, row_number() OVER (ORDER BY id) AS n FROM customers) c ON c.n = 1 + g % 2000;
    ANALYZE;`);
  process.stdout.write('loaded 20 tenants, 2,000 customers, 20,000 orders\n\n');
  // The queries over the shop tables (the billing ones need the other history's data).
  const queries = readFileSync(join(examples, 'queries.sql'), 'utf8').split(';').map((q) => q.replace(/^--.*$/gm, '').trim()).filter((q) => q && !/invoices/.test(q));
  for (const query of queries) {
    process.stdout.write(`${query}\n\n`);
    await db.exec('BEGIN READ ONLY');
    try {
      const plan = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${query}`);
      for (const row of plan.rows) process.stdout.write(`${row['QUERY PLAN']}\n`);
      // The same tips the panel shows, from the JSON plan.
      const json = await db.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (ANALYZE, BUFFERS, SETTINGS, FORMAT JSON) ${query}`);
      const tips = findTips(analyzePlan(json.rows[0]['QUERY PLAN']), { sql: query });
      process.stdout.write(tips.length ? `\nTuning tips (${tips.length}):\n` : '\nTuning tips: none for this plan.\n');
      for (const t of tips) process.stdout.write(`- ${t.title}: ${t.evidence}${t.fix && 'sql' in t.fix ? `\n    ${t.fix.sql}` : ''}\n`);
    } finally {
      await db.exec('ROLLBACK');
    }
    process.stdout.write('\n');
  }
  await db.close();
}

explainDemo().catch((e) => {
  process.stderr.write(`demo failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
