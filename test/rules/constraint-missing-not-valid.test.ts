import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { resolveConfig } from '../../core/src/engine/resolve-config';
import { DEFAULT_PGVET_JSON } from '../../core/src/config/schema';
import { lintSql } from '../../core/src/engine/lint';
import { initParser } from '../../core/src/parse/sql/parser';
import { ruleTests } from '../support/rule-tester';

const corpus = join(import.meta.dirname, '../../../shared/corpus');
const fromCorpus = (path: string) => ({ path: `/corpus/${path}`, sql: readFileSync(join(corpus, path), 'utf8') });
const prisma = '/p/prisma/migrations/20240101000000_fk/migration.sql';
const goose = '/p/db/migrations/20240101000000_check.sql';

ruleTests('constraint-missing-not-valid', {
  valid: [
    { name: 'ADD COLUMN … REFERENCES without a DEFAULT: the new column is all NULL, PostgreSQL skips the check', sql: 'ALTER TABLE orders ADD COLUMN coupon_id bigint REFERENCES coupons (id);' },
    { name: 'ADD COLUMN … CHECK on a table created in the same file', sql: 'CREATE TABLE t (a int);\nALTER TABLE t ADD COLUMN b int CHECK (b > 0);' },
    { sql: 'ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;' },
    { name: 'validation as its own step', sql: 'ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_fk;' },
    { name: 'table created earlier in the same file', sql: 'CREATE TABLE "Post" ("id" SERIAL, "authorId" INTEGER);\nALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id");' },
    { name: 'UNIQUE is another rule', sql: 'ALTER TABLE t ADD CONSTRAINT t_a_key UNIQUE (a);' },
    { name: 'CHECK NOT VALID', sql: 'ALTER TABLE IF EXISTS t ADD CHECK (a > 0) NOT VALID;' },
    { name: 'NOT VALID then VALIDATE in a file run outside a transaction', sql: 'ALTER TABLE t ADD CONSTRAINT t_a_check CHECK (a > 0) NOT VALID;\nALTER TABLE t VALIDATE CONSTRAINT t_a_check;' },
    { name: 'NOT VALID then VALIDATE in goose NO TRANSACTION (hatchet)', ...fromCorpus('hatchet-dev__hatchet/cmd/hatchet-migrate/migrate/migrations/20260514175834_v1_0_109.sql') },
    { name: 'NOT VALID and VALIDATE in two transaction blocks', sql: 'BEGIN;\nALTER TABLE t ADD CONSTRAINT t_a_check CHECK (a > 0) NOT VALID;\nCOMMIT;\nBEGIN;\nALTER TABLE t VALIDATE CONSTRAINT t_a_check;\nCOMMIT;' },
    { name: 'NOT VALID on a table created in the same transaction: nothing to scan', path: goose, sql: '-- +goose Up\nCREATE TABLE t (a int);\nALTER TABLE t ADD CONSTRAINT t_a_check CHECK (a > 0) NOT VALID;\nALTER TABLE t VALIDATE CONSTRAINT t_a_check;' },
  ],
  invalid: [
    {
      name: 'supabase auth: ADD COLUMN … REFERENCES … DEFAULT NULL (any DEFAULT clause makes PostgreSQL check every row)',
      sql: 'alter table auth.saml_relay_states add column if not exists flow_state_id uuid references auth.flow_state(id) on delete cascade default null;',
      errors: [{ text: 'add column if not exists flow_state_id uuid references auth.flow_state(id) on delete cascade default null', message: /column "flow_state_id" with REFERENCES auth\.flow_state to existing table "auth\.saml_relay_states" checks every row.*NOT VALID/ }],
    },
    {
      name: 'supabase auth: ADD COLUMN … CHECK',
      sql: "alter table auth.oauth_clients add column if not exists token_endpoint_auth_method text check (token_endpoint_auth_method in ('client_secret_basic', 'client_secret_post', 'none'));",
      errors: [{ message: /column "token_endpoint_auth_method" with CHECK to existing table "auth\.oauth_clients" checks every row while holding an ACCESS EXCLUSIVE lock/ }],
    },
    {
      name: 'Prisma foreign key, alone in its file: VALIDATE goes to a new migration (in the same file it would be one query string, one transaction)',
      path: prisma,
      sql: '-- AddForeignKey\nALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;\n',
      errors: [{
        text: 'ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE',
        message: /FOREIGN KEY constraint "Post_authorId_fkey" to existing table "Post".*SHARE ROW EXCLUSIVE lock on "Post" and on "User".*Validate it in a later migration: its tool sends the file as one query string/,
      }],
      output: '-- AddForeignKey\nALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE NOT VALID;\n',
    },
    {
      name: 'goose file in a transaction: NOT VALID here, VALIDATE in a new migration',
      path: goose,
      sql: '-- +goose Up\nALTER TABLE t ADD CHECK (a > 0);\n',
      errors: [{ message: /ACCESS EXCLUSIVE lock on "t".*Validate it in a later migration: goose runs each migration in a transaction/ }],
      output: '-- +goose Up\nALTER TABLE t ADD CONSTRAINT t_a_check CHECK (a > 0) NOT VALID;\n',
    },
    {
      name: 'NOT VALID then VALIDATE in one Prisma migration.sql (civitai): before Prisma 7.4 one transaction',
      ...fromCorpus('civitai__civitai/packages/civitai-db-schema/prisma/migrations/20260702130000_imagereport_imageid_fk/migration.sql'),
      errors: [{ text: 'VALIDATE CONSTRAINT "ImageReport_imageId_fkey"', message: /runs in the same transaction as the ADD CONSTRAINT … NOT VALID before it \(Prisma Migrate sends migration\.sql as one query string.*before Prisma 7\.4 the SHARE ROW EXCLUSIVE lock on "ImageReport" and on "Image" that ADD CONSTRAINT … NOT VALID took is still held while VALIDATE scans every row.*Prisma 7\.4 and later run each statement in its own transaction/ }],
    },
    {
      name: 'NOT VALID then VALIDATE in a goose transaction: VALIDATE moves to a new migration',
      path: goose,
      sql: '-- +goose Up\nALTER TABLE t ADD CONSTRAINT t_a_check CHECK (a > 0) NOT VALID;\nALTER TABLE t VALIDATE CONSTRAINT t_a_check;\n',
      errors: [{ text: 'VALIDATE CONSTRAINT t_a_check', message: /\(goose runs each migration in a transaction.*\): the ACCESS EXCLUSIVE lock on "t" that ADD CONSTRAINT … NOT VALID took is still held while VALIDATE scans every row, so writes wait for the whole scan, as without NOT VALID\. Validate it in a later migration\.$/ }],
      output: '-- +goose Up\nALTER TABLE t ADD CONSTRAINT t_a_check CHECK (a > 0) NOT VALID;\n',
    },
    {
      name: 'NOT VALID then VALIDATE between one BEGIN and COMMIT',
      sql: 'BEGIN;\nALTER TABLE app.orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES app.customers (id) NOT VALID;\nALTER TABLE app.orders VALIDATE CONSTRAINT orders_customer_fk;\nCOMMIT;',
      errors: [{ message: /both sit between the same BEGIN and COMMIT.*SHARE ROW EXCLUSIVE lock on "app\.orders" and on "app\.customers"/ }],
    },
    {
      name: 'unnamed FK gets the name PostgreSQL would give it',
      sql: 'ALTER TABLE app.orders ADD FOREIGN KEY (customer_id, region) REFERENCES app.customers;\n',
      errors: [{ message: /"orders_customer_id_region_fkey"/ }],
      output: 'ALTER TABLE app.orders ADD CONSTRAINT orders_customer_id_region_fkey FOREIGN KEY (customer_id, region) REFERENCES app.customers NOT VALID;\nALTER TABLE app.orders VALIDATE CONSTRAINT orders_customer_id_region_fkey;\n',
    },
    {
      name: 'unnamed CHECK on one column, and on two',
      sql: 'ALTER TABLE t ADD CHECK (price > 0), ADD CHECK (lo < hi);\n',
      errors: [{ text: 'ADD CHECK (price > 0)', message: /"t_price_check"/ }, { text: 'ADD CHECK (lo < hi)', message: /"t_check"/ }],
      // Both VALIDATE lines are inserted at the same place, so the later constraint's line comes first.
      output: 'ALTER TABLE t ADD CONSTRAINT t_price_check CHECK (price > 0) NOT VALID, ADD CONSTRAINT t_check CHECK (lo < hi) NOT VALID;\nALTER TABLE t VALIDATE CONSTRAINT t_check;\nALTER TABLE t VALIDATE CONSTRAINT t_price_check;\n',
    },
    {
      name: 'mixed subcommands: only the FK is flagged',
      sql: 'ALTER TABLE ONLY items ADD COLUMN note text, ADD CONSTRAINT items_order_fk FOREIGN KEY (order_id) REFERENCES orders (id) DEFERRABLE INITIALLY DEFERRED;\n',
      errors: [{ text: 'ADD CONSTRAINT items_order_fk FOREIGN KEY (order_id) REFERENCES orders (id) DEFERRABLE INITIALLY DEFERRED' }],
      output: 'ALTER TABLE ONLY items ADD COLUMN note text, ADD CONSTRAINT items_order_fk FOREIGN KEY (order_id) REFERENCES orders (id) DEFERRABLE INITIALLY DEFERRED NOT VALID;\nALTER TABLE items VALIDATE CONSTRAINT items_order_fk;\n',
    },
    {
      name: 'after a syntax error and non-ASCII text, statements parsed one by one still get exact ranges',
      sql: "SELECT 'héllo 😀';\nSELEC 1;\nALTER TABLE \"Straße\" ADD CONSTRAINT s_fk FOREIGN KEY (ort) REFERENCES \"Ort\" (id);\n",
      errors: [{ text: 'ADD CONSTRAINT s_fk FOREIGN KEY (ort) REFERENCES "Ort" (id)', message: /"Straße".*"Ort"/ }],
    },
    {
      name: 'a quoted mixed-case table name stays quoted in the generated name',
      sql: 'ALTER TABLE "OrderItem" ADD CHECK ("quantity" > 0);\n',
      errors: [{ message: /"OrderItem_quantity_check"/ }],
      output: 'ALTER TABLE "OrderItem" ADD CONSTRAINT "OrderItem_quantity_check" CHECK ("quantity" > 0) NOT VALID;\nALTER TABLE "OrderItem" VALIDATE CONSTRAINT "OrderItem_quantity_check";\n',
    },
  ],
});

before(() => initParser());

/** The fixes' new files, as the editor would create them next to the linted file. */
function createdFiles(path: string, sql: string) {
  const rules = { 'constraint-missing-not-valid': 'warning' as const };
  const result = lintSql({ text: sql, path, config: resolveConfig({ ...DEFAULT_PGVET_JSON, rules }), fs: { readFile: () => undefined } });
  return result.findings.filter((f) => f.ruleId === 'constraint-missing-not-valid').map((f) => ({ title: f.fix?.title, files: f.fix?.createFiles }));
}

test('the VALIDATE of a transactional file goes into a new migration named the way its tool expects', () => {
  const [prismaFix] = createdFiles(prisma, 'ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id");\n');
  assert.match(prismaFix.title ?? '', /^Add NOT VALID and validate "Post_authorId_fkey" in a new migration \(\d{14}_validate_post_authorid_fkey\/migration\.sql\)$/);
  assert.equal(prismaFix.files?.length, 1);
  assert.match(prismaFix.files![0].relativePath, /^\.\.\/\d{14}_validate_post_authorid_fkey\/migration\.sql$/);
  assert.equal(prismaFix.files![0].content, '-- Generated by pgvet.\nALTER TABLE "Post" VALIDATE CONSTRAINT "Post_authorId_fkey";\n');

  const [moved] = createdFiles(goose, '-- +goose Up\nALTER TABLE t ADD CONSTRAINT t_a_check CHECK (a > 0) NOT VALID;\nALTER TABLE t VALIDATE CONSTRAINT t_a_check;\n');
  assert.match(moved.title ?? '', /^Move VALIDATE CONSTRAINT "t_a_check" to a new migration \(\d{14}_validate_t_a_check\.sql\)$/);
  assert.match(moved.files![0].content, /^-- \+goose Up\nALTER TABLE t VALIDATE CONSTRAINT t_a_check;\n/);
});

test('with a counter version (a later file may hold the next number) the fix adds NOT VALID and says where VALIDATE goes', () => {
  const [fix] = createdFiles('/p/db/migrations/00012_fk.sql', '-- +goose Up\nALTER TABLE t ADD CONSTRAINT t_a_check CHECK (a > 0);\n');
  assert.equal(fix.title, 'Add NOT VALID (validate "t_a_check" in a later migration)');
  assert.equal(fix.files, undefined);
});
