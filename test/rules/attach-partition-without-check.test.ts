import { ruleTests } from '../support/rule-tester';

// hatchet's daily partitions, as its create_v1_range_partition function makes them: a table LIKE the parent, filled, then attached.
const parent = 'CREATE TABLE v1_task (id bigint NOT NULL, tenant_id uuid NOT NULL, inserted_at timestamptz NOT NULL, PRIMARY KEY (id, inserted_at)) PARTITION BY RANGE (inserted_at);';
const staged = 'CREATE TABLE v1_task_20250102 (LIKE v1_task INCLUDING INDEXES);';
const attach = "ALTER TABLE v1_task ATTACH PARTITION v1_task_20250102 FOR VALUES FROM ('2025-01-02') TO ('2025-01-03');";
const byStatus = "CREATE TABLE v1_runs_olap (id bigint NOT NULL, status text NOT NULL) PARTITION BY LIST (status);\nCREATE TABLE v1_runs_olap_queued (LIKE v1_runs_olap);";
const goose = '/p/db/migrations/20250102000000_attach.sql';

ruleTests('attach-partition-without-check', {
  valid: [
    { name: 'PostgreSQL regression indexing.sql: ALTER TABLE on an index of the file is an error test, not an ATTACH', sql: 'create table idxpart1 (a int);\ncreate index idxpart_c on only idxpart (c);\ncreate index idxpart1_c on idxpart1 (c);\nalter table idxpart_c attach partition idxpart1_c for values from (10) to (20);' },
    { name: 'PostgreSQL regression foreign_data.sql: a foreign table created in the file is never scanned', sql: 'CREATE TABLE lt1 (a INT) PARTITION BY RANGE (a);\nCREATE FOREIGN TABLE ft_part2 (a INT) SERVER s0;\nALTER TABLE lt1 ATTACH PARTITION ft_part2 FOR VALUES FROM (1000) TO (2000);' },
    { name: 'PostgreSQL regression foreign_key.sql: tables created by CREATE SCHEMA elements are new', sql: 'create schema fkpart2\n  create table pkey (a int primary key)\n  create table fk_part (a int, constraint fkey foreign key (a) references fkpart2.pkey) partition by list (a)\n  create table fk_part_1 partition of fkpart2.fk_part for values in (1) partition by list (a)\n  create table fk_part_1_1 (a int, constraint my_fkey foreign key (a) references fkpart2.pkey);\nalter table fkpart2.fk_part_1 attach partition fkpart2.fk_part_1_1 for values in (1);' },
    { name: 'the partition is created in the same file: empty, nothing to scan', sql: `${parent}\n${staged}\n${attach}` },
    { name: 'a validated CHECK over the key from an earlier migration', history: [parent, staged, "ALTER TABLE v1_task_20250102 ADD CONSTRAINT v1_task_20250102_bound CHECK (inserted_at >= '2025-01-02' AND inserted_at < '2025-01-03');"], sql: attach },
    { name: 'CHECK NOT VALID then VALIDATE earlier in the file', history: [parent, staged], sql: `ALTER TABLE v1_task_20250102 ADD CONSTRAINT b CHECK (inserted_at IS NOT NULL AND inserted_at >= '2025-01-02' AND inserted_at < '2025-01-03') NOT VALID;\nALTER TABLE v1_task_20250102 VALIDATE CONSTRAINT b;\n${attach}` },
    { name: 'CREATE TABLE … PARTITION OF makes a new, empty partition', history: [parent], sql: "CREATE TABLE v1_task_20250103 PARTITION OF v1_task FOR VALUES FROM ('2025-01-03') TO ('2025-01-04');" },
  ],
  invalid: [
    {
      name: 'a plain folder file: the fix adds the CHECK NOT VALID, validates it, attaches, drops it',
      history: [parent, staged],
      sql: `${attach}\n`,
      errors: [{ text: "ATTACH PARTITION v1_task_20250102 FOR VALUES FROM ('2025-01-02') TO ('2025-01-03')", message: /^ATTACH PARTITION "v1_task_20250102" scans every row of "v1_task_20250102" to check it fits the partition bound, holding an ACCESS EXCLUSIVE lock on it \(no reads or writes\) and a SHARE UPDATE EXCLUSIVE lock on "v1_task"\./ }],
      output: [
        "ALTER TABLE v1_task_20250102 ADD CONSTRAINT v1_task_20250102_bound_check CHECK (inserted_at IS NOT NULL AND inserted_at >= '2025-01-02' AND inserted_at < '2025-01-03') NOT VALID;",
        'ALTER TABLE v1_task_20250102 VALIDATE CONSTRAINT v1_task_20250102_bound_check;',
        attach,
        'ALTER TABLE v1_task_20250102 DROP CONSTRAINT v1_task_20250102_bound_check;',
        '',
      ].join('\n'),
    },
    {
      name: 'a LIST partition, and a NOT VALID CHECK that was never validated does not count',
      history: [byStatus, "ALTER TABLE v1_runs_olap_queued ADD CONSTRAINT q CHECK (status = 'QUEUED') NOT VALID;"],
      sql: "ALTER TABLE v1_runs_olap ATTACH PARTITION v1_runs_olap_queued FOR VALUES IN ('QUEUED');\n",
      errors: [{ message: /no validated CHECK constraint on "v1_runs_olap_queued"/ }],
      output: [
        "ALTER TABLE v1_runs_olap_queued ADD CONSTRAINT v1_runs_olap_queued_bound_check CHECK (status IS NOT NULL AND status IN ('QUEUED')) NOT VALID;",
        'ALTER TABLE v1_runs_olap_queued VALIDATE CONSTRAINT v1_runs_olap_queued_bound_check;',
        "ALTER TABLE v1_runs_olap ATTACH PARTITION v1_runs_olap_queued FOR VALUES IN ('QUEUED');",
        'ALTER TABLE v1_runs_olap_queued DROP CONSTRAINT v1_runs_olap_queued_bound_check;',
        '',
      ].join('\n'),
    },
    {
      name: 'goose in a transaction, and a DEFAULT partition that is scanned too: no fix',
      path: goose,
      history: [parent, "CREATE TABLE v1_task_default PARTITION OF v1_task DEFAULT;", staged],
      sql: `-- +goose Up\n${attach}\n`,
      errors: [{ message: /Note: the DEFAULT partition "v1_task_default" is scanned too, under an ACCESS EXCLUSIVE lock.*; goose runs each migration in a transaction.*add and validate the CHECK in an earlier migration\.$/ }],
      output: `-- +goose Up\n${attach}\n`,
    },
    {
      name: 'a file linted on its own: reported (the table is not created here), no fix without the key',
      sql: "ALTER TABLE measurement ATTACH PARTITION measurement_y2008m02 FOR VALUES FROM ('2008-02-01') TO ('2008-03-01');\n",
      errors: [{ message: /ATTACH PARTITION "measurement_y2008m02" scans every row/ }],
      output: "ALTER TABLE measurement ATTACH PARTITION measurement_y2008m02 FOR VALUES FROM ('2008-02-01') TO ('2008-03-01');\n",
    },
  ],
});
