import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Runs git in `cwd` with a fixed identity and no signing, whatever the machine's git config says. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=pgvet test', '-c', 'user.email=test@pgvet.invalid', '-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main', ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
  });
}

export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
}

export const INIT_SQL = [
  'CREATE TABLE "users" ("id" UUID NOT NULL, "email" TEXT NOT NULL, CONSTRAINT "users_pkey" PRIMARY KEY ("id"));',
  'CREATE TABLE "orders" ("id" UUID NOT NULL, "user_id" UUID NOT NULL, CONSTRAINT "orders_pkey" PRIMARY KEY ("id"));',
  'ALTER TABLE "orders" ADD CONSTRAINT "orders_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id");',
  '',
].join('\n');
export const INDEX_SQL = 'CREATE INDEX "users_email_idx" ON "users"("email");\n';
export const INDEX_SQL_EDITED = 'CREATE INDEX "users_email_idx" ON "users"(lower("email"));\n';
export const RENAME_SQL = 'ALTER TABLE "users" RENAME COLUMN "email" TO "mail";\n';

export const MIGRATIONS = 'prisma/migrations';
export const INIT = `${MIGRATIONS}/20240101000000_init/migration.sql`;
export const INDEX = `${MIGRATIONS}/20240201000000_email_index/migration.sql`;
export const RENAME = `${MIGRATIONS}/20240301000000_rename_email/migration.sql`;

/**
 * A Prisma history committed on `main` (a table with an unindexed foreign key, then a plain CREATE INDEX), and a
 * branch `feature` checked out on which a new migration renames a column and the applied index migration was
 * edited (left uncommitted when `commitBranch` is false).
 */
export function prismaRepoWithBranch(prefix: string, commitBranch = true): string {
  const root = mkdtempSync(join(tmpdir(), prefix));
  git(root, 'init', '-q');
  writeFiles(root, { [`${MIGRATIONS}/migration_lock.toml`]: 'provider = "postgresql"\n', [INIT]: INIT_SQL, [INDEX]: INDEX_SQL });
  git(root, 'add', '.');
  git(root, 'commit', '-q', '-m', 'history');
  git(root, 'switch', '-q', '-c', 'feature');
  writeFiles(root, { [RENAME]: RENAME_SQL, [INDEX]: INDEX_SQL_EDITED });
  if (commitBranch) {
    git(root, 'add', '.');
    git(root, 'commit', '-q', '-m', 'rename, and an edit of an applied migration');
  }
  return root;
}
