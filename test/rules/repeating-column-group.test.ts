import { catalogRuleTests } from '../support/catalog-rule-tester';

catalogRuleTests('repeating-column-group', {
  valid: [
    { name: 'two numbered columns, hash names, coordinates', files: { 'migrations/001.sql': 'CREATE TABLE t (id int PRIMARY KEY, phone1 text, phone2 text, sha256 text, sha512 text, x1 int, x2 int, x3 int);\n' } },
    { name: 'the group was dropped later', files: { 'migrations/001.sql': 'CREATE TABLE contacts (id int PRIMARY KEY, phone1 text, phone2 text, phone3 text);\n', 'migrations/002.sql': 'ALTER TABLE contacts DROP COLUMN phone3;\n' } },
  ],
  invalid: [
    {
      files: { 'migrations/001.sql': 'CREATE TABLE contacts (id int PRIMARY KEY, phone1 text, phone2 text, phone3 text);\n' },
      errors: [{ text: 'CREATE TABLE contacts (id int PRIMARY KEY, phone1 text, phone2 text, phone3 text);', message: /Columns phone1, phone2, phone3 of "contacts".*table "contact_phones" \(contact_id → contacts, phone, position\)/ }],
    },
    {
      name: 'columns added in later migrations; snake_case suffix',
      files: { 'migrations/001.sql': 'CREATE TABLE people (id int PRIMARY KEY, address_line_1 text);\n', 'migrations/002.sql': 'ALTER TABLE people ADD COLUMN address_line_2 text, ADD COLUMN address_line_3 text;\n' },
      errors: [{ file: 'migrations/001.sql', message: /address_line_1, address_line_2, address_line_3 of "people".*"people_address_lines"/ }],
    },
  ],
});
