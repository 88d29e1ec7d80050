import { ruleTests } from '../support/rule-tester';

// hatchet's partition retention (its PL/pgSQL functions detach by day), written as the migration statements they run.
const tasks = "CREATE TABLE v1_task (id bigint NOT NULL, inserted_at timestamptz NOT NULL, PRIMARY KEY (id, inserted_at)) PARTITION BY RANGE (inserted_at);\nCREATE TABLE v1_task_20250101 PARTITION OF v1_task FOR VALUES FROM ('2025-01-01') TO ('2025-01-02');";
const withDefault = `${tasks}\nCREATE TABLE v1_task_default PARTITION OF v1_task DEFAULT;`;
const goose = '/p/db/migrations/20250301000000_detach.sql';

ruleTests('detach-partition-not-concurrent', {
  valid: [
    { name: 'PostgreSQL regression foreign_key.sql: a table created by a CREATE SCHEMA element is new', sql: 'create schema fkpart1\n  create table pkey (a int primary key)\n  create table fk_part (a int) partition by list (a)\n  create table fk_part_1 partition of fk_part for values in (1) partition by list (a)\n  create table fk_part_1_1 partition of fk_part_1 for values in (1);\nalter table fkpart1.fk_part detach partition fkpart1.fk_part_1;' },
    { name: 'already CONCURRENTLY', history: [tasks], sql: 'ALTER TABLE v1_task DETACH PARTITION v1_task_20250101 CONCURRENTLY;' },
    { name: 'FINALIZE completes an interrupted concurrent detach', history: [tasks], sql: 'ALTER TABLE v1_task DETACH PARTITION v1_task_20250101 FINALIZE;' },
    { name: 'a table created in the same file is empty: no one waits', sql: `${tasks}\nALTER TABLE v1_task DETACH PARTITION v1_task_20250101;` },
    { name: 'ATTACH is another rule', history: [tasks], sql: "CREATE TABLE v1_task_20250102 (LIKE v1_task);\nALTER TABLE v1_task ATTACH PARTITION v1_task_20250102 FOR VALUES FROM ('2025-01-02') TO ('2025-01-03');" },
  ],
  invalid: [
    {
      name: 'a plain folder file (each statement on its own): the fix adds CONCURRENTLY',
      history: [tasks],
      sql: 'ALTER TABLE v1_task DETACH PARTITION v1_task_20250101;\nDROP TABLE v1_task_20250101;\n',
      errors: [{ text: 'DETACH PARTITION v1_task_20250101', message: /^DETACH PARTITION "v1_task_20250101" takes an ACCESS EXCLUSIVE lock on the partitioned table "v1_task".*PostgreSQL 14 and later, DETACH PARTITION … CONCURRENTLY takes only a SHARE UPDATE EXCLUSIVE lock, so reads and writes go on\.$/ }],
      output: 'ALTER TABLE v1_task DETACH PARTITION v1_task_20250101 CONCURRENTLY;\nDROP TABLE v1_task_20250101;\n',
    },
    {
      name: 'the parent has a DEFAULT partition: CONCURRENTLY would be refused, so no fix',
      history: [withDefault],
      sql: 'ALTER TABLE v1_task DETACH PARTITION v1_task_20250101;\n',
      errors: [{ message: /Note: CONCURRENTLY is refused when "v1_task" has a DEFAULT partition\.$/ }],
      output: 'ALTER TABLE v1_task DETACH PARTITION v1_task_20250101;\n',
    },
    {
      name: 'goose runs the file in a transaction: no fix, the message says where CONCURRENTLY can run',
      path: goose,
      history: [tasks],
      sql: '-- +goose Up\nALTER TABLE v1_task DETACH PARTITION v1_task_20250101;\nDROP TABLE v1_task_20250101;\n',
      errors: [{ message: /Note: goose runs each migration in a transaction.*DETACH … CONCURRENTLY cannot run inside a transaction/ }],
      output: '-- +goose Up\nALTER TABLE v1_task DETACH PARTITION v1_task_20250101;\nDROP TABLE v1_task_20250101;\n',
    },
    {
      name: 'a file linted on its own: reported, without a fix (the DEFAULT partition is unknown)',
      sql: 'ALTER TABLE public.v1_task DETACH PARTITION public.v1_task_20250101;\n',
      errors: [{ message: /"public\.v1_task" has a DEFAULT partition \(pgvet cannot see whether it has one\)/ }],
      output: 'ALTER TABLE public.v1_task DETACH PARTITION public.v1_task_20250101;\n',
    },
  ],
});
