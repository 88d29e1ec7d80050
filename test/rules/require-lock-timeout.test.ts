import { ruleTests } from '../support/rule-tester';

ruleTests('require-lock-timeout', {
  valid: [
    { name: 'DROP INDEX of an index that went with its constraint takes no lock', sql: 'CREATE TABLE t (a int, CONSTRAINT t_key UNIQUE (a));\nALTER TABLE t DROP CONSTRAINT t_key;\nDROP INDEX IF EXISTS t_key;' },
    { sql: "SET lock_timeout = '2s';\nALTER TABLE t ADD COLUMN c int;" },
    { name: 'SET LOCAL inside a transaction', sql: 'BEGIN;\nSET LOCAL lock_timeout TO 3000;\nCREATE INDEX i ON t (a);\nCOMMIT;' },
    { name: 'only new objects', sql: 'CREATE TABLE "User" ("id" TEXT);\nALTER TABLE "User" ADD CONSTRAINT "User_pkey" PRIMARY KEY ("id");\nCREATE INDEX "User_id_idx" ON "User"("id");\nDROP TABLE "User";' },
    { name: 'concurrent index work does not block', sql: 'CREATE INDEX CONCURRENTLY i ON t (a);\nDROP INDEX CONCURRENTLY j;' },
    { name: 'plain queries', sql: 'SELECT 1;\nINSERT INTO t VALUES (1);' },
  ],
  invalid: [
    { name: 'REINDEX (CONCURRENTLY false) is a plain REINDEX', sql: 'REINDEX (CONCURRENTLY false) INDEX orders_idx;', errors: [{ message: /REINDEX "orders_idx"/ }] },
    {
      name: 'reported once, on the first lock-taking statement',
      sql: 'CREATE TABLE a (id int);\nALTER TABLE app.orders ADD COLUMN note text;\nDROP INDEX orders_note_idx;\n',
      errors: [{ text: 'ALTER TABLE app.orders ADD COLUMN note text;', message: /ALTER TABLE "app\.orders" waits for a lock up to ACCESS EXCLUSIVE.*SET lock_timeout = '5s';/ }],
      output: "CREATE TABLE a (id int);\nSET lock_timeout = '5s';\nALTER TABLE app.orders ADD COLUMN note text;\nDROP INDEX orders_note_idx;\n",
    },
    {
      name: 'the option sets the value; the fix goes above an ignore comment',
      options: { timeout: '1500ms' },
      sql: '-- AddForeignKey\n-- pgvet-ignore constraint-missing-not-valid\nALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id");\n',
      errors: [{ message: /"Post".*'1500ms'/ }],
      output: "-- AddForeignKey\nSET lock_timeout = '1500ms';\n-- pgvet-ignore constraint-missing-not-valid\nALTER TABLE \"Post\" ADD CONSTRAINT \"Post_authorId_fkey\" FOREIGN KEY (\"authorId\") REFERENCES \"User\"(\"id\");\n",
    },
    {
      name: 'a timeout of 0 disables it',
      sql: 'SET lock_timeout = 0;\nCREATE INDEX i ON t (a);\n',
      errors: [{ text: 'CREATE INDEX i ON t (a);', message: /CREATE INDEX on "t" waits for a SHARE lock/ }],
      output: "SET lock_timeout = 0;\nSET lock_timeout = '5s';\nCREATE INDEX i ON t (a);\n",
    },
    {
      name: 'RESET clears it',
      sql: "SET lock_timeout = '1s';\nRESET lock_timeout;\nTRUNCATE t;\n",
      errors: [{ text: 'TRUNCATE t;', message: /TRUNCATE "t" waits for an ACCESS EXCLUSIVE lock/ }],
      output: "SET lock_timeout = '1s';\nRESET lock_timeout;\nSET lock_timeout = '5s';\nTRUNCATE t;\n",
    },
    { name: 'DROP TABLE', sql: 'DROP TABLE IF EXISTS "Legacy", public.old;', errors: [{ message: /DROP TABLE "Legacy", "public\.old" waits for an ACCESS EXCLUSIVE lock/ }], output: "SET lock_timeout = '5s';\nDROP TABLE IF EXISTS \"Legacy\", public.old;" },
    { name: 'same line as BEGIN', sql: 'BEGIN; ALTER TABLE t RENAME TO u; COMMIT;', errors: [{ message: /RENAME on "t"/ }], output: "BEGIN; SET lock_timeout = '5s'; ALTER TABLE t RENAME TO u; COMMIT;" },
  ],
});
