/** Verify's fixtures, shared by the LSP test (test/lsp/migration-commands.test.ts) and the e2e command suite. */

/** A golang-migrate history: one reversible migration, one whose down forgets a column, one whose up fails. */
export const SMALL_VERIFY_HISTORY: Readonly<Record<string, string>> = {
  '000001_create_accounts.up.sql': 'CREATE TABLE accounts (id bigint PRIMARY KEY, name text NOT NULL);\n',
  '000001_create_accounts.down.sql': 'DROP TABLE accounts;\n',
  '000002_account_email.up.sql': 'ALTER TABLE accounts ADD COLUMN email text;\n',
  '000002_account_email.down.sql': '-- forgot to drop the column\n',
  '000003_notes.up.sql': 'CREATE TABLE notes (id bigint PRIMARY KEY);\nALTER TABLE missing_table ADD COLUMN x int;\n',
  '000003_notes.down.sql': 'DROP TABLE notes;\n',
};
