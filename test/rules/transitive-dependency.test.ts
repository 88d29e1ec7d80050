import { catalogRuleTests } from '../support/catalog-rule-tester';

const customers = 'CREATE TABLE customers (id int PRIMARY KEY, email text, name text);\n';

catalogRuleTests('transitive-dependency', {
  valid: [
    { name: 'different type', files: { 'migrations/001.sql': customers + 'CREATE TABLE orders (id int PRIMARY KEY, customer_id int REFERENCES customers, customer_email varchar(100));\n' } },
    { name: 'no foreign key', files: { 'migrations/001.sql': customers + 'CREATE TABLE orders (id int PRIMARY KEY, customer_id int, customer_email text);\n' } },
    { name: 'the copy was dropped later', files: { 'migrations/001.sql': customers + 'CREATE TABLE orders (id int PRIMARY KEY, customer_id int REFERENCES customers, customer_email text);\n', 'migrations/002.sql': 'ALTER TABLE orders DROP COLUMN customer_email;\n' } },
    { name: 'a composite key part is partial-key-dependency', files: { 'migrations/001.sql': customers + 'CREATE TABLE memberships (customer_id int REFERENCES customers, team int, customer_email text, PRIMARY KEY (customer_id, team));\n' } },
  ],
  invalid: [
    {
      files: { 'migrations/001.sql': customers + 'CREATE TABLE orders (id int PRIMARY KEY, customer_id int REFERENCES customers, customer_email text);\n' },
      errors: [{ text: 'CREATE TABLE orders (id int PRIMARY KEY, customer_id int REFERENCES customers, customer_email text);', message: /"orders"."customer_email" repeats "customers"."email", which depends on customer_id \(through orders_customer_id_fkey\)/ }],
    },
    {
      name: 'FK added later, camelCase names',
      files: {
        'migrations/001.sql': 'CREATE TABLE "User" ("id" TEXT PRIMARY KEY, "name" TEXT);\nCREATE TABLE "VaultItem" ("id" TEXT PRIMARY KEY, "creatorId" TEXT, "creatorName" TEXT);\n',
        'migrations/002.sql': 'ALTER TABLE "VaultItem" ADD CONSTRAINT "VaultItem_creatorId_fkey" FOREIGN KEY ("creatorId") REFERENCES "User"("id");\n',
      },
      errors: [{ file: 'migrations/001.sql', message: /"VaultItem"."creatorName" repeats "User"."name"/ }],
    },
  ],
});
