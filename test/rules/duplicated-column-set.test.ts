import { catalogRuleTests } from '../support/catalog-rule-tester';

catalogRuleTests('duplicated-column-set', {
  valid: [
    { name: 'bookkeeping columns shared by every table', files: { 'migrations/001.sql': 'CREATE TABLE a (id int PRIMARY KEY, created_at timestamptz, updated_at timestamptz, deleted_at timestamptz, status text);\nCREATE TABLE b (id int PRIMARY KEY, created_at timestamptz, updated_at timestamptz, deleted_at timestamptz, status text);\n' } },
    { name: 'an archive copy', files: { 'migrations/001.sql': 'CREATE TABLE orders (id int PRIMARY KEY, street text, city text, postcode text);\nCREATE TABLE orders_archive (id int PRIMARY KEY, street text, city text, postcode text);\n' } },
    { name: 'shared columns that describe no one thing', files: { 'migrations/001.sql': 'CREATE TABLE a (id int PRIMARY KEY, colour text, weight int, origin text);\nCREATE TABLE b (id int PRIMARY KEY, colour text, weight int, origin text);\n' } },
    {
      name: 'a common first word alone (invoices snapshot their billing details; accounts keep the current ones)',
      files: { 'migrations/001.sql': 'CREATE TABLE invoices (id int PRIMARY KEY, billing_name text, billing_vat text, billing_iban text);\nCREATE TABLE accounts (id int PRIMARY KEY, billing_name text, billing_vat text, billing_iban text);\n' },
    },
    {
      name: 'Dokploy: each service\'s own repository settings, named after the provider table but not copies of its columns',
      files: {
        'drizzle/0000.sql': 'CREATE TABLE "bitbucket" ("bitbucketId" text PRIMARY KEY, "bitbucketUsername" text, "appPassword" text, "bitbucketWorkspaceName" text);\n'
          + 'CREATE TABLE "application" ("applicationId" text PRIMARY KEY, "bitbucketRepository" text, "bitbucketOwner" text, "bitbucketBranch" text, "bitbucketRepositorySlug" text);\n'
          + 'CREATE TABLE "compose" ("composeId" text PRIMARY KEY, "bitbucketRepository" text, "bitbucketOwner" text, "bitbucketBranch" text, "bitbucketRepositorySlug" text);\n',
      },
    },
    {
      name: 'Dokploy: each database service\'s own credentials',
      files: { 'drizzle/0000.sql': ['postgres', 'mysql', 'mariadb'].map((t) => `CREATE TABLE "${t}" ("${t}Id" text PRIMARY KEY, "databaseName" text, "databaseUser" text, "databasePassword" text);\n`).join('') },
    },
    {
      name: 'civitai: activity counters of different entities',
      files: {
        'migrations/001.sql': ['PostStat', 'ArticleStat', 'BountyStat'].map((t) => `CREATE TABLE "${t}" ("id" int PRIMARY KEY, "commentCountDay" int, "commentCountWeek" int, "commentCountMonth" int, "commentCountYear" int, "commentCountAllTime" int);\n`).join('')
          + 'CREATE TABLE "Comment" ("id" int PRIMARY KEY, "countDay" int, "countWeek" int, "countMonth" int);\n',
      },
    },
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
      name: 'copies of another table\'s columns under its name',
      files: {
        'migrations/001.sql': 'CREATE TABLE customers (id int PRIMARY KEY, name text, email text, phone text);\n',
        'migrations/002.sql': 'CREATE TABLE orders (id int PRIMARY KEY, "customerName" text, "customerEmail" text, "customerPhone" text);\nCREATE TABLE invoices (id int PRIMARY KEY, customer_name text, customer_email text, customer_phone text);\n',
      },
      errors: [
        { file: 'migrations/002.sql', message: /Columns customerEmail, customerName, customerPhone of "orders" also appear, with the same types, in "invoices".*They copy columns of table "customers": reference it \(customer_id\)/ },
        { file: 'migrations/002.sql', message: /"invoices" also appear/ },
      ],
    },
  ],
});
