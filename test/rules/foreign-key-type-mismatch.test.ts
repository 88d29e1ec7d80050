import { catalogRuleTests } from '../support/catalog-rule-tester';

const customers = 'CREATE TABLE customers (id bigserial PRIMARY KEY, email text);\n';

catalogRuleTests('foreign-key-type-mismatch', {
  valid: [
    { name: 'same types', files: { 'migrations/001.sql': customers + 'CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id bigint REFERENCES customers);\n' } },
    { name: 'a wider referencing integer holds every key', files: { 'migrations/001.sql': 'CREATE TABLE tags (id serial PRIMARY KEY);\nCREATE TABLE post_tags (tag_id bigint REFERENCES tags (id));\n' } },
    { name: 'varchar(n) and text compare with the same operator', files: { 'migrations/001.sql': 'CREATE TABLE "User" ("id" TEXT NOT NULL PRIMARY KEY);\nCREATE TABLE "Post" ("authorId" VARCHAR(36) REFERENCES "User"("id"));\n' } },
    { name: 'a mismatch fixed by a later migration', files: {
      'migrations/001.sql': customers + 'CREATE TABLE orders (customer_id integer REFERENCES customers);\n',
      'migrations/002.sql': 'ALTER TABLE orders ALTER COLUMN customer_id TYPE bigint;\n',
    } },
    { name: 'an enum or domain on either side: not judged', files: { 'migrations/001.sql': "CREATE DOMAIN short_id AS text;\nCREATE TABLE codes (code short_id PRIMARY KEY);\nCREATE TABLE uses (code text REFERENCES codes);\n" } },
    { name: 'partitions carry the parent\'s foreign key: reported once, on the parent (here: none)', files: { 'migrations/001.sql': customers + "CREATE TABLE events (customer_id bigint REFERENCES customers, at date NOT NULL) PARTITION BY RANGE (at);\nCREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');\n" } },
  ],
  invalid: [
    {
      name: 'integer referencing bigint in the same file: the fix declares the column bigint',
      files: { 'migrations/001.sql': customers + 'CREATE TABLE orders (\n  id bigserial PRIMARY KEY,\n  customer_id integer NOT NULL REFERENCES customers (id)\n);\n' },
      errors: [{ file: 'migrations/001.sql', message: /^Foreign key "orders_customer_id_fkey": "orders"\."customer_id" is integer but references "customers"\."id", bigint: once "customers"\."id" passes 2147483647, the integer maximum, rows referencing the new keys cannot be stored \(integer out of range\)\. Give the referencing column the referenced column's type\.$/ }],
      output: { 'migrations/001.sql': customers + 'CREATE TABLE orders (\n  id bigserial PRIMARY KEY,\n  customer_id bigint NOT NULL REFERENCES customers (id)\n);\n' },
    },
    {
      name: 'text referencing uuid: PostgreSQL rejects the constraint (Prisma-style quoting, upper-case type kept upper-case)',
      files: { 'migrations/001.sql': 'CREATE TABLE "Team" ("id" UUID NOT NULL, CONSTRAINT "Team_pkey" PRIMARY KEY ("id"));\nCREATE TABLE "Member" ("teamId" TEXT NOT NULL);\nALTER TABLE "Member" ADD CONSTRAINT "Member_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id");\n' },
      errors: [{ text: 'ALTER TABLE "Member" ADD CONSTRAINT "Member_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id");', message: /"Member"\."teamId" is text but references "Team"\."id", uuid: PostgreSQL has no equality operator between text and uuid and rejects the constraint/ }],
      output: { 'migrations/001.sql': 'CREATE TABLE "Team" ("id" UUID NOT NULL, CONSTRAINT "Team_pkey" PRIMARY KEY ("id"));\nCREATE TABLE "Member" ("teamId" UUID NOT NULL);\nALTER TABLE "Member" ADD CONSTRAINT "Member_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id");\n' },
    },
    {
      name: 'a column from an earlier migration: no fix, the message says ALTER COLUMN … TYPE rewrites the table',
      files: {
        'migrations/001.sql': 'CREATE TABLE accounts (id numeric(20) PRIMARY KEY);\nCREATE TABLE sessions (account_id integer);\n',
        'migrations/002.sql': 'ALTER TABLE sessions ADD CONSTRAINT sessions_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id);\n',
      },
      errors: [{ file: 'migrations/002.sql', message: /"sessions"\."account_id" is integer but references "accounts"\."id", numeric\(20,0\): PostgreSQL checks the key by casting "account_id" to numeric .* For a column that already holds rows that is ALTER TABLE sessions ALTER COLUMN account_id TYPE numeric\(20,0\), which rewrites the table under an ACCESS EXCLUSIVE lock \(see changing-column-type\)/ }],
    },
    {
      name: 'timestamp referencing timestamptz: the match depends on the session TimeZone',
      files: { 'migrations/001.sql': 'CREATE TABLE slots (starts_at timestamptz PRIMARY KEY);\nCREATE TABLE bookings (slot_at timestamp(3) REFERENCES slots);\n' },
      errors: [{ message: /is timestamp\(3\) without time zone but references "slots"\."starts_at", timestamp with time zone: PostgreSQL compares them by converting in the session TimeZone/ }],
      output: { 'migrations/001.sql': 'CREATE TABLE slots (starts_at timestamptz PRIMARY KEY);\nCREATE TABLE bookings (slot_at timestamp with time zone REFERENCES slots);\n' },
    },
  ],
});
