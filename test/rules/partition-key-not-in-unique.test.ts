import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ruleTests } from '../support/rule-tester';

const corpus = join(import.meta.dirname, '../../../shared/corpus');
const fromCorpus = (path: string) => ({ path: `/corpus/${path}`, sql: readFileSync(join(corpus, path), 'utf8') });
const events = 'CREATE TABLE events (id bigint NOT NULL, tenant_id uuid NOT NULL, created_at timestamptz NOT NULL) PARTITION BY RANGE (created_at);';

ruleTests('partition-key-not-in-unique', {
  valid: [
    { name: 'PostgreSQL regression indexing.sql: a table dropped and created again is judged by its last CREATE', sql: 'create table idxpart (a int) partition by range (a);\ndrop table idxpart;\ncreate table idxpart (i int) partition by hash (i);\nalter table idxpart add primary key(i);' },
    { name: 'trigger.dev: PRIMARY KEY ("id", "createdAt") on a table partitioned by "createdAt"', ...fromCorpus('triggerdotdev__trigger.dev/internal-packages/database/prisma/migrations/20250212053026_create_task_event_partitioned_table/migration.sql') },
    { name: 'hatchet v1_0_0: every partitioned table keys on its partition columns', ...fromCorpus('hatchet-dev__hatchet/cmd/hatchet-migrate/migrate/migrations/20250224171706_v1_0_0.sql') },
    { name: 'a plain table: any key', sql: 'CREATE TABLE t (id bigint PRIMARY KEY, created_at timestamptz);' },
    { name: 'a partition (not partitioned itself) may have its own keys', history: [events], sql: "CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');\nALTER TABLE events_2024 ADD PRIMARY KEY (id);" },
    { name: 'a unique index that includes the key', history: [events], sql: 'CREATE UNIQUE INDEX events_tenant_id_key ON events (tenant_id, id, created_at);' },
    { name: 'a table from an earlier migration the file knows nothing of (no history)', sql: 'ALTER TABLE events ADD PRIMARY KEY (id);' },
  ],
  invalid: [
    {
      name: 'the classic: bigserial PRIMARY KEY on a table partitioned by time',
      sql: 'CREATE TABLE events (\n  id bigserial PRIMARY KEY,\n  created_at timestamptz NOT NULL\n) PARTITION BY RANGE (created_at);\n',
      errors: [{ text: 'PRIMARY KEY', message: /^PRIMARY KEY \(id\) on partitioned table "events" lacks column "created_at" of the partition key: PostgreSQL rejects it \("unique constraint on partitioned table must include all partitioning columns"\)/ }],
    },
    {
      name: 'a table constraint: the fix appends the missing key column',
      sql: 'CREATE TABLE "Log" ("id" TEXT NOT NULL, "at" TIMESTAMP(3) NOT NULL, CONSTRAINT "Log_pkey" PRIMARY KEY ("id")) PARTITION BY RANGE ("at");\n',
      errors: [{ text: 'CONSTRAINT "Log_pkey" PRIMARY KEY ("id")', message: /lacks column "at"/ }],
      output: 'CREATE TABLE "Log" ("id" TEXT NOT NULL, "at" TIMESTAMP(3) NOT NULL, CONSTRAINT "Log_pkey" PRIMARY KEY ("id", "at")) PARTITION BY RANGE ("at");\n',
    },
    {
      name: 'ADD PRIMARY KEY to a partitioned table of an earlier migration',
      history: [events],
      sql: 'ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY (id);\n',
      errors: [{ text: 'CONSTRAINT events_pkey PRIMARY KEY (id)', message: /lacks column "created_at"/ }],
      output: 'ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY (id, created_at);\n',
    },
    {
      name: 'CREATE UNIQUE INDEX on the parent, and a hash key of two columns',
      history: ['CREATE TABLE jobs (id bigint NOT NULL, tenant_id uuid NOT NULL, queue text NOT NULL) PARTITION BY HASH (tenant_id, queue);'],
      sql: 'CREATE UNIQUE INDEX jobs_id_key ON jobs (id);\n',
      errors: [{ message: /^unique index \(id\) on partitioned table "jobs" lacks columns "tenant_id", "queue"/ }],
      output: 'CREATE UNIQUE INDEX jobs_id_key ON jobs (id, tenant_id, queue);\n',
    },
    {
      name: 'a partition key with an expression: no UNIQUE at all',
      sql: 'CREATE TABLE m (id int, name text, UNIQUE (id, name)) PARTITION BY LIST (lower(name));\n',
      errors: [{ text: 'UNIQUE (id, name)', message: /partition key includes an expression.*"unsupported UNIQUE constraint with partition key definition"/ }],
    },
  ],
});
