import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Client } from 'pg';
import { fkTypeRelation } from '../../core/src/rule-kit/fk-types';
import { initParser, parseSqlFile } from '../../core/src/parse/sql/parser';
import { connectedPostgres } from '../support/postgres';
import { applyEdits, lintOnly } from '../support/rule-tester';

/**
 * What the partition rules and foreign-key-type-mismatch say about PostgreSQL, checked on the real server: the
 * errors partition-key-not-in-unique announces, the locks ATTACH / DETACH / CREATE INDEX take, that the CHECK
 * attach-partition-without-check's fix writes lets ATTACH skip its scan, that index-on-partitioned-table's fix runs
 * and leaves a valid index, and which foreign key type pairs PostgreSQL rejects or compares through a cast.
 */
const pg = connectedPostgres();
const notices: string[] = [];
before(async () => {
  await initParser();
  pg.client.on('notice', (n) => notices.push(n.message ?? ''));
});

async function errorOf(client: Client, sql: string): Promise<string | undefined> {
  try {
    await client.query(sql);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** Runs each statement of a migration text on its own, as a plain folder's runner would (autocommit). */
async function run(client: Client, sql: string): Promise<void> {
  const file = parseSqlFile(sql);
  for (const s of file.statements) if (s.ast) await client.query(sql.slice(s.start, s.end));
}

/** The relation locks the current transaction holds, as `table mode` lines. */
async function locksHeld(client: Client): Promise<string[]> {
  const { rows } = await client.query(`SELECT c.relname, l.mode FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
    WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation' AND c.relkind IN ('r', 'p') ORDER BY 1, 2`);
  return rows.map((r) => `${r.relname} ${r.mode}`);
}

async function reset(client: Client): Promise<void> {
  await client.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
}

describe('partition-key-not-in-unique: PostgreSQL rejects what the rule reports', () => {
  it('a PRIMARY KEY without the partition column, and any UNIQUE with an expression in the key', async () => {
    const { client } = pg;
    await reset(client);
    const missing = await errorOf(client, 'CREATE TABLE events (id bigserial PRIMARY KEY, created_at timestamptz NOT NULL) PARTITION BY RANGE (created_at)');
    assert.equal(missing, 'unique constraint on partitioned table must include all partitioning columns');
    const expression = await errorOf(client, 'CREATE TABLE m (id int, name text, UNIQUE (id, name)) PARTITION BY LIST (lower(name))');
    assert.equal(expression, 'unsupported UNIQUE constraint with partition key definition');
    await client.query('CREATE TABLE jobs (id bigint NOT NULL, tenant_id uuid NOT NULL, queue text NOT NULL) PARTITION BY HASH (tenant_id, queue)');
    assert.equal(await errorOf(client, 'CREATE UNIQUE INDEX jobs_id_key ON jobs (id)'), 'unique constraint on partitioned table must include all partitioning columns');
    // The rule's fix: the key columns appended.
    assert.equal(await errorOf(client, 'CREATE UNIQUE INDEX jobs_id_key ON jobs (id, tenant_id, queue)'), undefined);
  });
});

const v1Task = 'CREATE TABLE v1_task (id bigint NOT NULL, tenant_id uuid NOT NULL, inserted_at timestamptz NOT NULL, PRIMARY KEY (id, inserted_at)) PARTITION BY RANGE (inserted_at);';
const staged = "CREATE TABLE v1_task_20250102 (LIKE v1_task INCLUDING INDEXES);\nINSERT INTO v1_task_20250102 SELECT g, gen_random_uuid(), '2025-01-02 12:00+00' FROM generate_series(1, 100) g;";
const attach = "ALTER TABLE v1_task ATTACH PARTITION v1_task_20250102 FOR VALUES FROM ('2025-01-02') TO ('2025-01-03');";
const implied = /partition constraint for table "v1_task_20250102" is implied by existing constraints/;

describe('attach-partition-without-check on PostgreSQL', () => {
  it('ATTACH holds ACCESS EXCLUSIVE on the partition and the DEFAULT partition, SHARE UPDATE EXCLUSIVE on the parent', async () => {
    const { client } = pg;
    await reset(client);
    await run(client, `${v1Task}\nCREATE TABLE v1_task_default PARTITION OF v1_task DEFAULT;\n${staged}`);
    await client.query('BEGIN');
    await client.query(attach);
    const locks = await locksHeld(client);
    await client.query('ROLLBACK');
    assert.ok(locks.includes('v1_task ShareUpdateExclusiveLock'), locks.join(', '));
    assert.ok(locks.includes('v1_task_20250102 AccessExclusiveLock'), locks.join(', '));
    assert.ok(locks.includes('v1_task_default AccessExclusiveLock'), locks.join(', '));
  });

  /** Runs the history, then the migration, statement by statement; whether PostgreSQL said the ATTACH skipped its scan. */
  async function scanSkipped(history: string, migration: string): Promise<boolean> {
    const { client } = pg;
    await reset(client);
    await run(client, history);
    notices.length = 0;
    await client.query("SET client_min_messages = 'debug1'");
    try {
      await run(client, migration);
    } finally {
      await client.query('RESET client_min_messages');
    }
    return notices.some((m) => implied.test(m));
  }

  it('with the CHECK the fix writes (range, one column), the scan is skipped; without it, not', async () => {
    const [finding] = lintOnly('attach-partition-without-check', { sql: `${attach}\n`, history: [v1Task, staged] });
    const fixed = applyEdits(`${attach}\n`, finding.fix!.edits);
    assert.equal(await scanSkipped(`${v1Task}\n${staged}`, fixed), true);
    assert.equal(await scanSkipped(`${v1Task}\n${staged}`, attach), false);
    // The CHECK is dropped again after the ATTACH.
    const { rows } = await pg.client.query("SELECT count(*)::int AS n FROM pg_constraint WHERE conrelid = 'v1_task_20250102'::regclass AND contype = 'c'");
    assert.equal(rows[0].n, 0);
  });

  it('a CHECK still NOT VALID does not spare the scan', async () => {
    const notValid = "ALTER TABLE v1_task_20250102 ADD CONSTRAINT b CHECK (inserted_at IS NOT NULL AND inserted_at >= '2025-01-02' AND inserted_at < '2025-01-03') NOT VALID;";
    assert.equal(await scanSkipped(`${v1Task}\n${staged}`, `${notValid}\n${attach}`), false);
  });

  it('the fix\'s CHECK for a LIST bound is implied too', async () => {
    const history = "CREATE TABLE v1_runs_olap (id bigint NOT NULL, status text NOT NULL) PARTITION BY LIST (status);\nCREATE TABLE v1_task_20250102 (LIKE v1_runs_olap);\nINSERT INTO v1_task_20250102 VALUES (1, 'QUEUED');";
    const sql = "ALTER TABLE v1_runs_olap ATTACH PARTITION v1_task_20250102 FOR VALUES IN ('QUEUED', 'RUNNING');\n";
    const [finding] = lintOnly('attach-partition-without-check', { sql, history: [history] });
    assert.equal(await scanSkipped(history, applyEdits(sql, finding.fix!.edits)), true);
  });
});

describe('detach-partition-not-concurrent on PostgreSQL', () => {
  it('DETACH holds ACCESS EXCLUSIVE on the parent; CONCURRENTLY refuses a transaction block and a DEFAULT partition', async () => {
    const { client } = pg;
    await reset(client);
    await run(client, `${v1Task}\nCREATE TABLE v1_task_20250101 PARTITION OF v1_task FOR VALUES FROM ('2025-01-01') TO ('2025-01-02');`);
    await client.query('BEGIN');
    await client.query('ALTER TABLE v1_task DETACH PARTITION v1_task_20250101');
    const locks = await locksHeld(client);
    await client.query('ROLLBACK');
    assert.ok(locks.includes('v1_task AccessExclusiveLock'), locks.join(', '));
    await client.query('BEGIN');
    assert.match(await errorOf(client, 'ALTER TABLE v1_task DETACH PARTITION v1_task_20250101 CONCURRENTLY') ?? '', /cannot run inside a transaction block/);
    await client.query('ROLLBACK');
    await client.query('CREATE TABLE v1_task_default PARTITION OF v1_task DEFAULT');
    assert.match(await errorOf(client, 'ALTER TABLE v1_task DETACH PARTITION v1_task_20250101 CONCURRENTLY') ?? '', /cannot detach partitions concurrently when a default partition exists/);
    await client.query('DROP TABLE v1_task_default');
    assert.equal(await errorOf(client, 'ALTER TABLE v1_task DETACH PARTITION v1_task_20250101 CONCURRENTLY'), undefined);
  });
});

describe('index-on-partitioned-table on PostgreSQL', () => {
  const history = `CREATE TABLE "WebhookDelivery" ("id" TEXT NOT NULL, "status" TEXT NOT NULL, "createdAt" TIMESTAMP(3) NOT NULL,
  CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id", "createdAt")) PARTITION BY RANGE ("createdAt");
CREATE TABLE "WebhookDelivery_20260701" PARTITION OF "WebhookDelivery" FOR VALUES FROM ('2026-07-01') TO ('2026-07-02');
CREATE TABLE "WebhookDelivery_20260702" PARTITION OF "WebhookDelivery" FOR VALUES FROM ('2026-07-02') TO ('2026-07-03');`;
  const sql = 'CREATE INDEX "WebhookDelivery_status_idx" ON "WebhookDelivery" ("status");\n';

  it('CONCURRENTLY is refused; a plain CREATE INDEX holds a SHARE lock on every partition', async () => {
    const { client } = pg;
    await reset(client);
    await run(client, history);
    assert.match(await errorOf(client, 'CREATE INDEX CONCURRENTLY x ON "WebhookDelivery" ("status")') ?? '', /cannot create index on partitioned table "WebhookDelivery" concurrently/);
    await client.query('BEGIN');
    await client.query(sql);
    const locks = await locksHeld(client);
    await client.query('ROLLBACK');
    for (const t of ['WebhookDelivery_20260701', 'WebhookDelivery_20260702']) assert.ok(locks.includes(`${t} ShareLock`), locks.join(', '));
  });

  it('the fix runs outside a transaction and leaves a valid index on the parent, invalid until the last partition is attached', async () => {
    const { client } = pg;
    await reset(client);
    await run(client, history);
    const [finding] = lintOnly('index-on-partitioned-table', { sql, history: [history] });
    const fixed = parseSqlFile(applyEdits(sql, finding.fix!.edits));
    const valid = async () => (await client.query(`SELECT indisvalid FROM pg_index WHERE indexrelid = '"WebhookDelivery_status_idx"'::regclass`)).rows[0].indisvalid;
    const statements = fixed.statements.filter((s) => s.ast);
    for (const [k, s] of statements.entries()) {
      await client.query(fixed.text.slice(s.start, s.end));
      if (k === 0 || k === statements.length - 2) assert.equal(await valid(), false, `after ${fixed.text.slice(s.start, s.end)}`);
    }
    assert.equal(await valid(), true);
    const { rows } = await client.query(`SELECT count(*)::int AS n FROM pg_inherits WHERE inhparent = '"WebhookDelivery_status_idx"'::regclass`);
    assert.equal(rows[0].n, 2);
  });
});

describe('foreign-key-type-mismatch: how PostgreSQL compares each type pair', () => {
  const TYPES = ['smallint', 'integer', 'bigint', 'numeric', 'real', 'double precision', 'text', 'character varying(36)', 'character(10)', 'uuid', 'date', 'timestamp without time zone', 'timestamp with time zone'];

  it('fkTypeRelation says what PostgreSQL does: rejects, casts the referencing column, or compares across types', async () => {
    const { client } = pg;
    await reset(client);
    const wrong: string[] = [];
    for (const [i, pk] of TYPES.entries()) {
      await client.query(`CREATE TABLE pk_${i} (k ${pk} PRIMARY KEY)`);
      for (const [j, fk] of TYPES.entries()) {
        await client.query(`CREATE TABLE fk_${i}_${j} (k ${fk})`);
        const error = await errorOf(client, `ALTER TABLE fk_${i}_${j} ADD CONSTRAINT c_${i}_${j} FOREIGN KEY (k) REFERENCES pk_${i}`);
        let actual: string;
        if (error) {
          assert.match(error, /cannot be implemented/);
          actual = 'rejected';
        } else {
          // conpfeqop is the PK = FK operator; when PostgreSQL found no cross-type one it is the PK type's own (conppeqop), on a cast FK column.
          const { rows } = await client.query(`SELECT conpfeqop = conppeqop AS own, (SELECT castmethod FROM pg_cast WHERE castsource = $1::regtype AND casttarget = $2::regtype) AS method
            FROM pg_constraint WHERE conname = $3`, [fk, pk, `c_${i}_${j}`]);
          const same = fk.replace(/\(\d+\)/, '') === pk.replace(/\(\d+\)/, '');
          // varchar → text is binary-coercible (castmethod 'b') into text's own operator family, whose index serves a
          // varchar column too: nothing differs. text → character is binary-coercible as well, but the operator is
          // character's (bpchar_ops, blank-padded semantics), which an index on the text column does not serve: a cast.
          const intoText = rows[0].method === 'b' && /^(text|character varying)/.test(pk);
          actual = same || (rows[0].own && intoText) ? 'same' : rows[0].own ? 'cast' : 'cross-type';
        }
        const ours = fkTypeRelation(fk, pk);
        if (ours !== actual) wrong.push(`${fk} → ${pk}: PostgreSQL ${actual}, pgvet ${ours}`);
      }
    }
    assert.deepEqual(wrong, []);
  });
});
