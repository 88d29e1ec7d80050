import { ruleTests } from '../support/rule-tester';

const prisma = '/p/prisma/migrations/20240101000000_fk/migration.sql';

ruleTests('constraint-missing-not-valid', {
  valid: [
    { sql: 'ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;' },
    { name: 'validation as its own step', sql: 'ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_fk;' },
    { name: 'table created earlier in the same file', sql: 'CREATE TABLE "Post" ("id" SERIAL, "authorId" INTEGER);\nALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id");' },
    { name: 'UNIQUE is another rule', sql: 'ALTER TABLE t ADD CONSTRAINT t_a_key UNIQUE (a);' },
    { name: 'CHECK NOT VALID', sql: 'ALTER TABLE IF EXISTS t ADD CHECK (a > 0) NOT VALID;' },
  ],
  invalid: [
    {
      name: 'Prisma foreign key',
      path: prisma,
      sql: '-- AddForeignKey\nALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;\n',
      errors: [{
        text: 'ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE',
        message: /FOREIGN KEY constraint "Post_authorId_fkey" to existing table "Post".*SHARE ROW EXCLUSIVE lock on "Post" and on "User".*later migration/,
      }],
      output: '-- AddForeignKey\nALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE NOT VALID;\nALTER TABLE "Post" VALIDATE CONSTRAINT "Post_authorId_fkey";\n',
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
