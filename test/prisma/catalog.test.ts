import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import {
  buildPrismaDatabaseModel, loadPrismaSchema, parsePrismaSchema, type PrismaDatabaseModel, type PrismaTable,
} from '../../core/src/parse/prisma';
import { nodeDirectoryView } from '../../core/src/fs/disk';

const CORPUS = path.resolve(__dirname, '../../../shared/corpus');
const FIXTURES = path.resolve(__dirname, '../fixtures/prisma');
const noCorpus = !fs.existsSync(CORPUS) && 'corpus not checked out next to the repo';

function mapSchema(text: string): PrismaDatabaseModel {
  const schema = parsePrismaSchema([{ path: 'schema.prisma', text }]);
  assert.deepEqual(schema.diagnostics, []);
  return buildPrismaDatabaseModel(schema);
}

function table(db: PrismaDatabaseModel, name: string): PrismaTable {
  const t = db.tables.find((x) => x.name === name);
  assert.ok(t, `table ${name}`);
  return t;
}

/** `name type [NOT NULL] [DEFAULT x]`, close to how the migration SQL reads. */
function columnLine(t: PrismaTable, name: string): string {
  const c = t.columns.find((x) => x.name === name);
  assert.ok(c, `column ${t.name}.${name}`);
  return [c.name, c.type, c.nullable ? '' : 'NOT NULL', c.default?.sql ? `DEFAULT ${c.default.sql}` : ''].filter(Boolean).join(' ');
}

const indexNames = (t: PrismaTable) => [...t.uniques, ...t.indexes].map((i) => i.name);

describe('prisma schema → database objects', () => {
  // Expected values are copied from the CREATE/ALTER statements of umami's prisma/migrations/*/migration.sql.
  test('umami: tables, columns, types, index names (relationMode = "prisma": FKs emulated)', { skip: noCorpus }, () => {
    const db = buildPrismaDatabaseModel(loadPrismaSchema(path.join(CORPUS, 'umami-software__umami/prisma/schema.prisma'), nodeDirectoryView));
    assert.equal(db.provider, 'postgresql');
    assert.equal(db.isPostgres, true);
    assert.equal(db.relationMode, 'prisma');

    const user = table(db, 'user');
    assert.equal(user.model, 'User');
    assert.deepEqual(user.primaryKey && [user.primaryKey.name, user.primaryKey.columns], ['user_pkey', ['user_id']]);
    assert.equal(columnLine(user, 'user_id'), 'user_id uuid NOT NULL');
    assert.equal(columnLine(user, 'username'), 'username character varying(255) NOT NULL');
    assert.equal(columnLine(user, 'created_at'), 'created_at timestamp(6) with time zone DEFAULT CURRENT_TIMESTAMP');
    assert.ok(indexNames(user).includes('user_username_key'));

    const session = table(db, 'session');
    assert.equal(columnLine(session, 'country'), 'country character(2)');
    assert.ok(indexNames(session).includes('session_website_id_created_at_country_idx'));

    const event = table(db, 'website_event');
    assert.equal(columnLine(event, 'event_type'), 'event_type integer NOT NULL DEFAULT 1');
    assert.ok(indexNames(event).includes('website_event_website_id_created_at_idx'));

    assert.equal(columnLine(table(db, 'event_data'), 'number_value'), 'number_value numeric(19,4)');
    assert.ok(indexNames(table(db, 'session_data')).includes('session_data_session_id_created_at_idx'));
    assert.ok(indexNames(table(db, 'link')).includes('link_slug_key'));
    assert.equal(columnLine(table(db, 'website'), 'replay_enabled'), 'replay_enabled boolean NOT NULL DEFAULT false');
    assert.equal(columnLine(table(db, 'session_replay'), 'events'), 'events bytea NOT NULL');
    assert.ok(indexNames(table(db, 'session_replay_saved')).includes('session_replay_saved_website_id_visit_id_key'));

    const fk = table(db, 'website').foreignKeys.find((f) => f.columns[0] === 'user_id');
    assert.ok(fk);
    assert.deepEqual([fk.referencedTable, fk.referencedColumns, fk.emulated], ['user', ['user_id'], true]);
  });

  // Expected values from hoppscotch's packages/hoppscotch-backend/prisma/migrations/*/migration.sql (latest state).
  test('hoppscotch: foreign keys with actions, unique and index names, enums, timestamptz', { skip: noCorpus }, () => {
    const db = buildPrismaDatabaseModel(loadPrismaSchema(path.join(CORPUS, 'hoppscotch__hoppscotch/packages/hoppscotch-backend/prisma/schema.prisma'), nodeDirectoryView));
    assert.equal(db.relationMode, 'foreignKeys');
    const fks = new Map(db.tables.flatMap((t) => t.foreignKeys.map((f) => [f.name, f])));
    const fkLine = (name: string) => {
      const f = fks.get(name);
      assert.ok(f, name);
      return `(${f.columns.join(',')}) REFERENCES ${f.referencedTable}(${f.referencedColumns.join(',')}) ON DELETE ${f.onDelete} ON UPDATE ${f.onUpdate}`;
    };
    assert.equal(fkLine('TeamMember_teamID_fkey'), '(teamID) REFERENCES Team(id) ON DELETE CASCADE ON UPDATE CASCADE');
    assert.equal(fkLine('Account_userId_fkey'), '(userId) REFERENCES User(uid) ON DELETE CASCADE ON UPDATE CASCADE');
    // No onDelete on an optional relation: Prisma's default SET NULL.
    assert.equal(fkLine('Shortcode_creatorUid_fkey'), '(creatorUid) REFERENCES User(uid) ON DELETE SET NULL ON UPDATE CASCADE');
    assert.equal(fkLine('MockServer_creatorUid_fkey'), '(creatorUid) REFERENCES User(uid) ON DELETE SET NULL ON UPDATE CASCADE');
    assert.equal(fkLine('UserRequest_collectionID_fkey'), '(collectionID) REFERENCES UserCollection(id) ON DELETE CASCADE ON UPDATE CASCADE');
    assert.equal(fks.get('Shortcode_creatorUid_fkey')!.onDeleteIsDefault, true);

    assert.deepEqual(table(db, 'User').primaryKey?.name, 'User_pkey');
    assert.deepEqual(table(db, 'User').primaryKey?.columns, ['uid']);
    assert.deepEqual(indexNames(table(db, 'Account')), ['Account_provider_providerAccountId_key']);
    assert.equal(table(db, 'Account').uniques[0].clientName, 'verifyProviderAccount');
    assert.deepEqual(indexNames(table(db, 'MockServerLog')), ['MockServerLog_mockServerID_idx', 'MockServerLog_mockServerID_executedAt_idx']);
    assert.deepEqual(indexNames(table(db, 'Shortcode')), ['Shortcode_id_key', 'Shortcode_id_creatorUid_key']);
    assert.deepEqual(indexNames(table(db, 'PublishedDocs')), ['PublishedDocs_slug_version_key', 'PublishedDocs_collectionID_idx']);

    const collection = table(db, 'TeamCollection');
    assert.equal(columnLine(collection, 'createdOn'), 'createdOn timestamp(3) with time zone NOT NULL DEFAULT CURRENT_TIMESTAMP');
    assert.equal(columnLine(collection, 'data'), 'data jsonb');
    assert.equal(columnLine(collection, 'orderIndex'), 'orderIndex integer NOT NULL');
    assert.equal(columnLine(table(db, 'InfraConfig'), 'isEncrypted'), 'isEncrypted boolean NOT NULL DEFAULT false');
    assert.equal(columnLine(table(db, 'UserHistory'), 'reqType'), 'reqType "ReqType" NOT NULL');
    // @default(cuid()) is computed by Prisma Client: no DEFAULT in the table.
    assert.equal(columnLine(table(db, 'Team'), 'id'), 'id text NOT NULL');
    assert.equal(table(db, 'Team').columns[0].default?.kind, 'client');

    const reqType = db.enums.find((e) => e.name === 'ReqType');
    assert.deepEqual(reqType?.values.map((v) => v.dbName), ['REST', 'GQL']);
  });

  test('default types, native types, lists, enums and defaults', () => {
    const db = mapSchema(`
datasource db {
  provider = "postgresql"
}
enum Role {
  USER
  ADMIN @map("admin")
  @@map("role_kind")
}
model T {
  id    Int      @id @default(autoincrement())
  s     String   @default("it's")
  i     Int?
  b     BigInt
  f     Float
  d     Decimal
  ok    Boolean  @default(true)
  at    DateTime @default(now())
  j     Json     @default("{}")
  by    Bytes
  tags  String[] @default(["a", "b"])
  roles Role[]   @default([USER])
  role  Role     @default(ADMIN)
  v     String   @db.VarChar(10)
  vn    String   @db.VarChar
  c     String   @db.Char(3)
  u     String   @db.Uuid
  tz    DateTime @db.Timestamptz(6)
  ts    DateTime @db.Timestamp
  dt    DateTime @db.Date
  n     Decimal  @db.Decimal(10, 2)
  jb    Json     @db.JsonB
  sm    Int      @db.SmallInt
  txt   String   @db.Text
  geo   Unsupported("geometry(Point,4326)")?
  gen   String   @default(dbgenerated("gen_random_uuid()")) @db.Uuid
}`);
    const t = table(db, 'T');
    const lines = t.columns.map((c) => columnLine(t, c.name));
    assert.deepEqual(lines, [
      'id integer NOT NULL',
      "s text NOT NULL DEFAULT 'it''s'",
      'i integer',
      'b bigint NOT NULL',
      'f double precision NOT NULL',
      'd numeric(65,30) NOT NULL',
      'ok boolean NOT NULL DEFAULT true',
      'at timestamp(3) without time zone NOT NULL DEFAULT CURRENT_TIMESTAMP',
      "j jsonb NOT NULL DEFAULT '{}'",
      'by bytea NOT NULL',
      "tags text[] NOT NULL DEFAULT ARRAY['a', 'b']::text[]",
      "roles role_kind[] NOT NULL DEFAULT ARRAY['USER']::role_kind[]",
      "role role_kind NOT NULL DEFAULT 'admin'",
      'v character varying(10) NOT NULL',
      'vn character varying NOT NULL',
      'c character(3) NOT NULL',
      'u uuid NOT NULL',
      'tz timestamp(6) with time zone NOT NULL',
      'ts timestamp without time zone NOT NULL',
      'dt date NOT NULL',
      'n numeric(10,2) NOT NULL',
      'jb jsonb NOT NULL',
      'sm smallint NOT NULL',
      'txt text NOT NULL',
      'geo geometry(Point,4326)',
      'gen uuid NOT NULL DEFAULT gen_random_uuid()',
    ]);
    assert.equal(t.columns[0].default?.kind, 'autoincrement');
    assert.equal(db.enums[0].dbName, 'role_kind');
    assert.equal(t.columns.find((c) => c.name === 'role')?.enum, 'role_kind');
  });

  test('Prisma default names, truncated to 63 bytes like Prisma; map: names; index options', () => {
    const db = mapSchema(`
datasource db {
  provider = "postgresql"
}
model BackgroundWorkerTask {
  id                   String @id
  runtimeEnvironmentId String
  slug                 String
  triggerSource        String
  title                String
  @@index([runtimeEnvironmentId, slug, triggerSource])
  @@index([title(sort: Desc, ops: raw("gin_trgm_ops"))], map: "custom_name", type: Gin)
  @@index([slug(ops: JsonbPathOps)], type: Hash)
}
model ErrorGroupState {
  id               String @id
  environmentId    String
  taskIdentifier   String
  errorFingerprint String
  @@unique([environmentId, taskIdentifier, errorFingerprint])
}
model Composite {
  a String
  b String
  @@id([a, b], map: "composite_pk")
  @@map("composite")
  @@schema("other")
}`);
    // Exactly the name Prisma generated in trigger.dev's migrations.
    assert.equal(table(db, 'ErrorGroupState').uniques[0].name, 'ErrorGroupState_environmentId_taskIdentifier_errorFingerpri_key');
    const t = table(db, 'BackgroundWorkerTask');
    // Prisma's name; trigger.dev's hand-written migration used "…_triggerSource_idx" (64 bytes, which PostgreSQL cuts to "…_triggerSource_id").
    assert.equal(t.indexes[0].name, 'BackgroundWorkerTask_runtimeEnvironmentId_slug_triggerSourc_idx');
    assert.equal(t.indexes[0].name.length, 63);
    assert.deepEqual(t.indexes[1], {
      name: 'custom_name', nameIsDefault: false, clientName: undefined, unique: false, method: 'gin',
      columns: [{ name: 'title', sort: 'Desc', ops: 'gin_trgm_ops' }], source: t.indexes[1].source,
    });
    assert.deepEqual(t.indexes[2].columns, [{ name: 'slug', ops: 'jsonb_path_ops' }]);
    assert.equal(t.indexes[2].method, 'hash');
    const c = table(db, 'composite');
    assert.equal(c.schema, 'other');
    assert.deepEqual([c.primaryKey?.name, c.primaryKey?.columns, c.primaryKey?.nameIsDefault], ['composite_pk', ['a', 'b'], false]);
  });

  test('relations: default actions, @map on FK columns, implicit many-to-many join table, sources', () => {
    const dir = path.join(FIXTURES, 'multi/prisma/schema');
    const schema = loadPrismaSchema(dir, nodeDirectoryView);
    const db = buildPrismaDatabaseModel(schema);
    const post = table(db, 'Post');
    assert.deepEqual(post.foreignKeys.map((f) => [f.name, f.columns, f.referencedTable, f.referencedColumns, f.onDelete, f.onUpdate]), [
      ['Post_author_id_fkey', ['author_id'], 'users', ['id'], 'RESTRICT', 'CASCADE'],
    ]);
    assert.deepEqual(indexNames(post), ['Post_author_id_title_idx']);
    // The source points into the file the model lives in.
    const fk = post.foreignKeys[0];
    const postFile = schema.files.find((f) => f.path === fk.source.file)!;
    assert.equal(path.basename(postFile.path), 'post.prisma');
    assert.equal(postFile.text.slice(fk.source.start, fk.source.end), '@relation(fields: [authorId], references: [id])');
    const users = table(db, 'users');
    assert.equal(users.documentation, 'A person who can sign in.');
    assert.equal(columnLine(users, 'role'), "role role NOT NULL DEFAULT 'USER'");
    assert.equal(columnLine(table(db, 'Post'), 'id'), 'id bigint NOT NULL');

    const join = table(db, '_PostToTag');
    assert.equal(join.kind, 'implicit-join');
    assert.deepEqual(join.columns.map((c) => `${c.name} ${c.type}`), ['A bigint', 'B uuid']);
    assert.equal(join.primaryKey?.name, '_PostToTag_AB_pkey');
    assert.deepEqual(join.indexes.map((i) => i.name), ['_PostToTag_B_index']);
    assert.deepEqual(join.foreignKeys.map((f) => `${f.name} ${f.referencedTable} ${f.onDelete}`), ['_PostToTag_A_fkey Post CASCADE', '_PostToTag_B_fkey Tag CASCADE']);
  });

  test('other providers: mapped without error, flagged as not PostgreSQL', () => {
    const db = mapSchema('datasource db {\n  provider = "mysql"\n  url = env("X")\n}\nmodel A {\n  id Int @id\n  name String @db.VarChar(20)\n  @@fulltext([name])\n}\n');
    assert.equal(db.provider, 'mysql');
    assert.equal(db.isPostgres, false);
    assert.equal(table(db, 'A').indexes[0].method, 'fulltext');
  });
});
