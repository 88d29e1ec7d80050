import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ruleTests } from '../support/rule-tester';

const corpus = join(import.meta.dirname, '../../../shared/corpus');
const read = (path: string) => readFileSync(join(corpus, path), 'utf8');
// trigger.dev's partitioned table of webhook deliveries, and two partitions as its retention job makes them.
const webhooks = read('triggerdotdev__trigger.dev/internal-packages/database/prisma/migrations/20260622120731_add_webhook_endpoint_and_delivery/migration.sql');
const partitions = `CREATE TABLE "WebhookDelivery_20260701" PARTITION OF "WebhookDelivery" FOR VALUES FROM ('2026-07-01') TO ('2026-07-02');
CREATE TABLE "WebhookDelivery_20260702" PARTITION OF "WebhookDelivery" FOR VALUES FROM ('2026-07-02') TO ('2026-07-03');`;
const hatchetOlap = "CREATE TABLE v1_runs_olap (tenant_id uuid NOT NULL, id bigint NOT NULL, inserted_at timestamptz NOT NULL, additional_metadata jsonb, PRIMARY KEY (inserted_at, id)) PARTITION BY RANGE (inserted_at);";

ruleTests('index-on-partitioned-table', {
  valid: [
    {
      name: 'hatchet v1_0_47: each partition indexed CONCURRENTLY first, then the parent\'s CREATE INDEX only attaches them',
      path: '/p/db/migrations/20251007220652_v1_0_47.sql',
      history: ['CREATE TABLE v1_payload_wal (tenant_id uuid NOT NULL, offload_at timestamptz NOT NULL) PARTITION BY HASH (tenant_id);'],
      sql: '-- +goose no transaction\n-- +goose Up\nCREATE INDEX CONCURRENTLY IF NOT EXISTS v1_payload_wal_0_poll_idx ON v1_payload_wal_0 (tenant_id, offload_at);\nCREATE INDEX CONCURRENTLY IF NOT EXISTS v1_payload_wal_1_poll_idx ON v1_payload_wal_1 (tenant_id, offload_at);\nCREATE INDEX IF NOT EXISTS v1_payload_wal_poll_idx ON v1_payload_wal (tenant_id, offload_at);\n',
    },
    { name: 'every known partition already has the index', history: [webhooks, partitions, 'CREATE INDEX a ON "WebhookDelivery_20260701" ("status");\nCREATE INDEX b ON "WebhookDelivery_20260702" ("status");'], sql: 'CREATE INDEX "WebhookDelivery_status_idx" ON "WebhookDelivery" ("status");' },
    { name: 'trigger.dev: the index on the parent created in the same migration as the table (empty)', sql: webhooks, path: '/p/prisma/migrations/20260622120731_add_webhook_endpoint_and_delivery/migration.sql' },
    { name: 'hatchet v1_0_63: CREATE INDEX … ON ONLY the parent builds nothing', history: [hatchetOlap], sql: 'CREATE INDEX IF NOT EXISTS ix_v1_runs_olap_additional_metadata_gin\n    ON ONLY v1_runs_olap USING gin (additional_metadata jsonb_path_ops);' },
    { name: 'a partition\'s own index, CONCURRENTLY', history: [webhooks, partitions], sql: 'CREATE INDEX CONCURRENTLY "WebhookDelivery_20260701_status_idx" ON "WebhookDelivery_20260701" ("status");' },
    { name: 'a plain table', history: ['CREATE TABLE t (a int);'], sql: 'CREATE INDEX t_a_idx ON t (a);' },
    { name: 'no history: nothing says the table is partitioned', sql: 'CREATE INDEX "WebhookDelivery_status_idx" ON "WebhookDelivery" ("status");' },
  ],
  invalid: [
    {
      name: 'a plain folder file: the fix builds the index ON ONLY, CONCURRENTLY per partition, and attaches each',
      history: [webhooks, partitions],
      sql: 'CREATE INDEX "WebhookDelivery_status_idx" ON "WebhookDelivery" ("status") WHERE "status" <> \'DELIVERED\';\n',
      errors: [{ message: /^CREATE INDEX on the partitioned table "WebhookDelivery" builds the index on its 2 partitions pgvet knows of in one go, holding a SHARE lock on each .*cannot be CONCURRENTLY\. Create it ON ONLY the parent/ }],
      output: [
        'CREATE INDEX "WebhookDelivery_status_idx" ON ONLY "WebhookDelivery" ("status") WHERE "status" <> \'DELIVERED\';',
        'CREATE INDEX CONCURRENTLY "WebhookDelivery_20260701_status_idx" ON "WebhookDelivery_20260701" ("status") WHERE "status" <> \'DELIVERED\';',
        'ALTER INDEX "WebhookDelivery_status_idx" ATTACH PARTITION "WebhookDelivery_20260701_status_idx";',
        'CREATE INDEX CONCURRENTLY "WebhookDelivery_20260702_status_idx" ON "WebhookDelivery_20260702" ("status") WHERE "status" <> \'DELIVERED\';',
        'ALTER INDEX "WebhookDelivery_status_idx" ATTACH PARTITION "WebhookDelivery_20260702_status_idx";',
        '',
      ].join('\n'),
    },
    {
      name: 'CONCURRENTLY on the parent: PostgreSQL refuses it',
      history: [webhooks, partitions],
      sql: 'CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "WebhookDelivery_id_key" ON public."WebhookDelivery" USING btree ("id", "createdAt");\n',
      errors: [{ message: /^PostgreSQL refuses CREATE INDEX CONCURRENTLY on the partitioned table "public\.WebhookDelivery" \("cannot create index on partitioned table concurrently"\), so this migration will fail\./ }],
      output: [
        'CREATE UNIQUE INDEX IF NOT EXISTS "WebhookDelivery_id_key" ON ONLY public."WebhookDelivery" USING btree ("id", "createdAt");',
        'CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "WebhookDelivery_20260701_id_createdAt_idx" ON "WebhookDelivery_20260701" USING btree ("id", "createdAt");',
        'ALTER INDEX public."WebhookDelivery_id_key" ATTACH PARTITION "WebhookDelivery_20260701_id_createdAt_idx";',
        'CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "WebhookDelivery_20260702_id_createdAt_idx" ON "WebhookDelivery_20260702" USING btree ("id", "createdAt");',
        'ALTER INDEX public."WebhookDelivery_id_key" ATTACH PARTITION "WebhookDelivery_20260702_id_createdAt_idx";',
        '',
      ].join('\n'),
    },
    {
      name: 'Prisma sends migration.sql as one query string: no fix, the message says why',
      path: '/p/prisma/migrations/20260801000000_status_idx/migration.sql',
      history: [webhooks, partitions],
      sql: '-- CreateIndex\nCREATE INDEX "WebhookDelivery_status_idx" ON "WebhookDelivery"("status");\n',
      errors: [{ message: /Note: CREATE INDEX CONCURRENTLY cannot run in a transaction: do it in migrations that run outside one\.$/ }],
    },
    {
      name: 'hatchet: partitions made at run time by functions (pgvet knows none): reported without a fix',
      history: [hatchetOlap],
      sql: 'CREATE INDEX ix_v1_runs_olap_tenant ON v1_runs_olap (tenant_id);\n',
      errors: [{ message: /builds the index on every partition \(pgvet knows of none: made outside the migrations\?\)/ }],
      output: 'CREATE INDEX ix_v1_runs_olap_tenant ON v1_runs_olap (tenant_id);\n',
    },
  ],
});
