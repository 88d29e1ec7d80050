import { catalogRuleTests } from '../support/catalog-rule-tester';

catalogRuleTests('duplicated-column-set', {
  valid: [
    { name: 'bookkeeping columns shared by every table', files: { 'migrations/001.sql': 'CREATE TABLE a (id int PRIMARY KEY, created_at timestamptz, updated_at timestamptz, deleted_at timestamptz, status text);\nCREATE TABLE b (id int PRIMARY KEY, created_at timestamptz, updated_at timestamptz, deleted_at timestamptz, status text);\n' } },
    { name: 'an archive copy', files: { 'migrations/001.sql': 'CREATE TABLE orders (id int PRIMARY KEY, street text, city text, postcode text);\nCREATE TABLE orders_archive (id int PRIMARY KEY, street text, city text, postcode text);\n' } },
    { name: 'shared columns that describe no one thing', files: { 'migrations/001.sql': 'CREATE TABLE a (id int PRIMARY KEY, colour text, weight int, origin text);\nCREATE TABLE b (id int PRIMARY KEY, colour text, weight int, origin text);\n' } },
    { name: 'one copy dropped later', files: { 'migrations/001.sql': 'CREATE TABLE customers (id int PRIMARY KEY, street text, city text, postcode text);\nCREATE TABLE suppliers (id int PRIMARY KEY, street text, city text, postcode text);\n', 'migrations/002.sql': 'DROP TABLE suppliers;\n' } },
  ],
  invalid: [
    {
      name: 'an address in two tables',
      files: { 'migrations/001.sql': 'CREATE TABLE customers (id int PRIMARY KEY, street text, city text, postcode text);\n', 'migrations/002.sql': 'CREATE TABLE suppliers (id int PRIMARY KEY, name text, street text, city text, postcode text);\n' },
      errors: [
        { file: 'migrations/001.sql', message: /Columns city, postcode, street of "customers" also appear, with the same types, in "suppliers".*table "addresses".*\(address_id\)/ },
        { file: 'migrations/002.sql', message: /"suppliers" also appear.*in "customers"/ },
      ],
    },
    {
      name: 'a prefix group',
      files: { 'migrations/001.sql': 'CREATE TABLE invoices (id int PRIMARY KEY, billing_name text, billing_vat text, billing_iban text);\nCREATE TABLE accounts (id int PRIMARY KEY, billing_name text, billing_vat text, billing_iban text);\n' },
      errors: [{ message: /"invoices".*"billings"/ }, { message: /"accounts"/ }],
    },
  ],
});
