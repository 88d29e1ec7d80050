/**
 * Generated inputs that once made pgvet's time grow with the square (or cube) of their size. Written as a
 * migrations folder (schema rules run on histories) or a Prisma schema; used by bench/scaling.ts and by
 * test/robustness/hang-inputs.test.ts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ScalingInput {
  id: string;
  describe: (n: number) => string;
  /** Writes the input of size `n` under `dir`; returns the path to lint. */
  write: (dir: string, n: number) => string;
  /** Findings per rule that pgvet must give for size `n`. */
  expected: (n: number) => Record<string, number>;
}

function migration(dir: string, name: string, sql: string): string {
  const folder = join(dir, 'migrations');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, name), sql);
  return folder;
}

/** `n` copies of `CREATE INDEX ON a (v)`: PostgreSQL names them a_v_idx, a_v_idx1 … and each duplicates the first. */
export const duplicateIndexes: ScalingInput = {
  id: 'duplicate-indexes',
  describe: (n) => `${n.toLocaleString('en')} × CREATE INDEX ON a (v)`,
  write: (dir, n) => migration(dir, '0001_indexes.sql', 'CREATE TABLE a (id int PRIMARY KEY, v int);\n' + 'CREATE INDEX ON a (v);\n'.repeat(n)),
  expected: (n) => ({ 'duplicate-index': n - 1 }),
};

/** `n` tables with an unindexed foreign key to one table: one unindexed-foreign-key finding (and index name) each. */
export const foreignKeysToOneTable: ScalingInput = {
  id: 'foreign-keys-to-one-table',
  describe: (n) => `${n.toLocaleString('en')} tables with a foreign key to one table`,
  write: (dir, n) => {
    const lines = ['CREATE TABLE t (id int PRIMARY KEY);'];
    for (let i = 0; i < n; i++) lines.push(`CREATE TABLE c${i} (id int PRIMARY KEY, t_id int REFERENCES t (id));`);
    return migration(dir, '0001_tables.sql', lines.join('\n') + '\n');
  },
  expected: (n) => ({ 'unindexed-foreign-key': n }),
};

/**
 * A Prisma schema of `n` models related to one model `Hub`: even ones by a foreign key (`hubId`), odd ones
 * many-to-many (an implicit join table `_HubToM<i>` each, whose B column is indexed and A is its primary key's lead).
 */
export const prismaModelsToOneModel: ScalingInput = {
  id: 'prisma-models-to-one-model',
  describe: (n) => `Prisma schema, ${n.toLocaleString('en')} models related to one`,
  write: (dir, n) => {
    mkdirSync(dir, { recursive: true });
    const hub = ['model Hub {', '  id Int @id'];
    const models: string[] = [];
    for (let i = 0; i < n; i++) {
      hub.push(`  m${i} M${i}[]`);
      models.push(i % 2 === 0
        ? `model M${i} {\n  id    Int @id\n  hubId Int\n  hub   Hub @relation(fields: [hubId], references: [id])\n}`
        : `model M${i} {\n  id   Int   @id\n  hubs Hub[]\n}`);
    }
    hub.push('}');
    const path = join(dir, 'schema.prisma');
    writeFileSync(path, ['datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}', hub.join('\n'), ...models].join('\n\n') + '\n');
    return path;
  },
  expected: (n) => ({ 'unindexed-foreign-key': Math.ceil(n / 2) }),
};

export const SCALING_INPUTS = [duplicateIndexes, foreignKeysToOneTable, prismaModelsToOneModel];
