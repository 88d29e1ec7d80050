import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import {
  findPrismaSchemaFiles, loadPrismaSchema, parsePrismaFile, type ConfigBlock, type EnumBlock, type ModelBlock,
  type PrismaFile,
} from '../../core/src/parse/prisma';
import { nodeDirectoryView } from '../../core/src/fs/disk';

const FIXTURES = path.resolve(__dirname, '../fixtures/prisma');

function model(file: PrismaFile, name: string): ModelBlock {
  const b = file.blocks.find((x) => x.name.name === name);
  assert.ok(b && (b.kind === 'model' || b.kind === 'view' || b.kind === 'type'), `model ${name} parsed`);
  return b;
}

/** Text of a node's range, to state ranges readably. */
const at = (file: PrismaFile, node: { start: number; end: number }): string => file.text.slice(node.start, node.end);

describe('prisma parser', () => {
  test('ranges of a model, a field, its type and its attributes', () => {
    const text = 'model User {\n  email String? @unique @db.VarChar(255) @map("e_mail")\n  @@map("users")\n}\n';
    const file = parsePrismaFile(text);
    assert.deepEqual(file.diagnostics, []);
    const user = model(file, 'User');
    assert.equal(at(file, user), text.trimEnd());
    assert.equal(at(file, user.name), 'User');
    const email = user.fields[0];
    assert.equal(at(file, email), 'email String? @unique @db.VarChar(255) @map("e_mail")');
    assert.equal(at(file, email.type), 'String?');
    assert.equal(email.type.optional, true);
    assert.deepEqual(email.attributes.map((a) => a.name.name), ['unique', 'db.VarChar', 'map']);
    const varchar = email.attributes[1];
    assert.equal(at(file, varchar), '@db.VarChar(255)');
    assert.equal(at(file, varchar.name), 'db.VarChar');
    assert.equal(at(file, varchar.args[0]), '255');
    assert.equal(email.attributes[0].hasParens, false);
    const map = user.attributes[0];
    assert.equal(map.level, 'block');
    assert.equal(at(file, map), '@@map("users")');
    assert.deepEqual(map.args[0].value, { kind: 'string', value: 'users', start: map.start + 6, end: map.start + 13 });
  });

  test('ranges are UTF-16 offsets, also after non-ASCII text and with CRLF line ends', () => {
    const text = '// héllo 😀\r\nmodel Unicode {\r\n  /// naïve 😀\r\n  naive String @default("😀") @map("naïve")\r\n}\r\n';
    const file = parsePrismaFile(text);
    assert.deepEqual(file.diagnostics, []);
    const m = model(file, 'Unicode');
    const f = m.fields[0];
    assert.equal(f.documentation, 'naïve 😀');
    assert.equal(at(file, f.name), 'naive');
    assert.equal(at(file, f.attributes[0]), '@default("😀")');
    assert.equal(at(file, f.attributes[1]), '@map("naïve")');
    assert.equal(at(file, m), text.slice(text.indexOf('model'), text.lastIndexOf('}') + 1));
  });

  test('identifiers are ASCII: a non-ASCII one is reported on that character', () => {
    const file = parsePrismaFile('model Ünïcode {\n  id Int @id\n}\n');
    assert.equal(file.diagnostics.length > 0, true);
    assert.equal(file.text.slice(file.diagnostics[0].start, file.diagnostics[0].end), 'Ü');
  });

  test('field shapes: lists, optional, Unsupported, relation arguments, index arguments', () => {
    const text = [
      'model Post {',
      '  id     Int      @id @default(autoincrement())',
      '  tags   String[] @default([])',
      '  geo    Unsupported("geometry(Point, 4326)")?',
      '  author User     @relation("Posts", fields: [authorId], references: [id], onDelete: Cascade)',
      '  authorId Int',
      '  @@index([authorId, title(sort: Desc, ops: raw("gin_trgm_ops"))], map: "post_author", type: Gin)',
      '  @@unique(fields: [a, b], name: "ab")',
      '}',
    ].join('\n');
    const file = parsePrismaFile(text);
    assert.deepEqual(file.diagnostics, []);
    const post = model(file, 'Post');
    const [, tags, geo, author] = post.fields;
    assert.equal(tags.type.list, true);
    assert.equal(geo.type.unsupported?.value, 'geometry(Point, 4326)');
    assert.equal(geo.type.optional, true);
    const relation = author.attributes[0];
    assert.deepEqual(relation.args.map((a) => a.name?.name), [undefined, 'fields', 'references', 'onDelete']);
    assert.deepEqual(relation.args[3].value, { kind: 'constant', name: 'Cascade', start: relation.args[3].value.start, end: relation.args[3].value.end });
    const index = post.attributes[0];
    const list = index.args[0].value;
    assert.ok(list.kind === 'array');
    const title = list.items[1];
    assert.ok(title.kind === 'function');
    assert.equal(title.name.name, 'title');
    assert.deepEqual(title.args.map((a) => a.name?.name), ['sort', 'ops']);
    assert.equal(at(file, title), 'title(sort: Desc, ops: raw("gin_trgm_ops"))');
    assert.equal(post.attributes[1].args[0].name?.name, 'fields');
  });

  test('datasource and generator entries: strings, env(), multi-line arrays', () => {
    const text = [
      'generator client {',
      '  provider      = "prisma-client-js"',
      '  binaryTargets = [',
      '    "native", // the dev machine',
      '    "linux-musl",',
      '  ]',
      '}',
      'datasource db {',
      '  provider   = "postgresql"',
      '  url        = env("DATABASE_URL")',
      '  extensions = [pg_trgm, postgis(version: "3.4")]',
      '}',
    ].join('\n');
    const file = parsePrismaFile(text);
    assert.deepEqual(file.diagnostics, []);
    const [gen, ds] = file.blocks as ConfigBlock[];
    assert.equal(gen.kind, 'generator');
    const targets = gen.entries[1].value;
    assert.ok(targets.kind === 'array');
    assert.deepEqual(targets.items.map((i) => (i.kind === 'string' ? i.value : '?')), ['native', 'linux-musl']);
    assert.equal(gen.entries[1].trailingComment, undefined, 'a comment inside the list is not the entry\'s trailing comment');
    assert.equal(ds.kind, 'datasource');
    const url = ds.entries[1].value;
    assert.ok(url.kind === 'function' && url.name.name === 'env');
    assert.equal(at(file, ds.entries[2].value), '[pg_trgm, postgis(version: "3.4")]');
  });

  test('enums, views, composite types and block comments', () => {
    const text = [
      '/* The roles',
      '   a user can have */',
      'enum Role {',
      '  USER',
      '  ADMIN @map("admin") // trailing',
      '  @@map("role")',
      '}',
      'view Stats {',
      '  id Int @unique',
      '}',
      'type Address {',
      '  street String',
      '}',
    ].join('\n');
    const file = parsePrismaFile(text);
    assert.deepEqual(file.diagnostics, []);
    const role = file.blocks[0] as EnumBlock;
    assert.equal(role.kind, 'enum');
    assert.deepEqual(role.values.map((v) => v.name.name), ['USER', 'ADMIN']);
    assert.equal(role.values[1].trailingComment?.text, ' trailing');
    assert.equal(role.attributes[0].name.name, 'map');
    assert.equal(role.leadingComments[0].kind, 'block');
    assert.equal(file.blocks[1].kind, 'view');
    assert.equal(file.blocks[2].kind, 'type');
  });

  test('doc comments and pgvet-ignore comments attach to the next field or model, with ranges', () => {
    const text = [
      '/// A user.',
      '/// Can sign in.',
      'model User {',
      '  /// The primary key.',
      '  // pgvet-ignore rule-a, rule-b -- reason here',
      '  id    Int    @id',
      '  email String // pgvet-ignore rule-c',
      '  // pgvet-ignore',
      '  @@index([email])',
      '}',
    ].join('\n');
    const file = parsePrismaFile(text);
    assert.deepEqual(file.diagnostics, []);
    const user = model(file, 'User');
    assert.equal(user.documentation, 'A user.\nCan sign in.');
    const [id, email] = user.fields;
    assert.equal(id.documentation, 'The primary key.');
    assert.equal(id.ignores.length, 1);
    assert.equal(at(file, id.ignores[0]), '// pgvet-ignore rule-a, rule-b -- reason here');
    assert.deepEqual(id.ignores[0].rules.map((r) => [r.id, at(file, r)]), [['rule-a', 'rule-a'], ['rule-b', 'rule-b']]);
    assert.equal(email.documentation, undefined);
    assert.deepEqual(email.ignores.map((d) => d.rules.map((r) => r.id)), [['rule-c']], 'a comment at the end of the line applies to that line');
    assert.deepEqual(user.attributes[0].ignores.map((d) => d.rules), [[]], 'no rule ids: every rule');
    assert.equal(file.ignores.length, 3);
  });

  test('pgvet-ignore-file is collected on the file', () => {
    const file = parsePrismaFile('// pgvet-ignore-file some-rule\nmodel A {\n  id Int @id\n}\n');
    assert.equal(file.ignores[0].scope, 'file');
    assert.deepEqual(file.ignores[0].rules.map((r) => r.id), ['some-rule']);
    assert.deepEqual(model(file, 'A').ignores, [], 'file directives do not attach to a node');
  });

  test('error recovery: two errors are reported and the models after them are still parsed', () => {
    const text = [
      'model A {',
      '  id Int @id',
      '  name = String', // error 1: `=` is not a type
      '  ok   String',
      '  bad  Int @default(', // error 2: unclosed parenthesis
      '  more String @unique',
      '}',
      '',
      'model B {',
      '  id Int @id',
      '}',
    ].join('\n');
    const file = parsePrismaFile(text);
    assert.equal(file.diagnostics.length, 2, JSON.stringify(file.diagnostics));
    const [first, second] = file.diagnostics;
    assert.match(first.message, /Field `name` in model `A` has no type/);
    assert.equal(at(file, first), 'name =');
    assert.match(second.message, /Missing `\)`/);
    assert.equal(at(file, second), '(');
    assert.deepEqual(model(file, 'A').fields.map((f) => f.name.name), ['id', 'ok', 'bad', 'more'], 'a field with a broken attribute is kept');
    assert.deepEqual(model(file, 'B').fields.map((f) => f.name.name), ['id']);
  });

  test('error recovery: a missing `}` ends the block at the next block keyword', () => {
    const text = 'model A {\n  id Int @id\n\nmodel B {\n  id Int @id\n}\n';
    const file = parsePrismaFile(text);
    assert.equal(file.diagnostics.length, 1);
    assert.match(file.diagnostics[0].message, /Missing `}` to close `model A`/);
    assert.equal(at(file, file.diagnostics[0]), 'model A');
    assert.equal(at(file, model(file, 'A')), 'model A {\n  id Int @id');
    assert.deepEqual(model(file, 'B').fields.map((f) => f.name.name), ['id']);
  });

  test('more syntax errors: stray tokens, unterminated string, optional list, unknown block', () => {
    const text = [
      'modle X {',        // unknown block keyword: warning, skipped
      '  id Int',
      '}',
      '$$$',              // not a block
      'model A {',
      '  s String @default("abc',
      '  l Int[]?',
      '  @id',
      '}',
    ].join('\n');
    const file = parsePrismaFile(text);
    const messages = file.diagnostics.map((d) => `${d.severity}: ${at(file, d)}`);
    assert.deepEqual(messages, [
      'error: "abc',
      'warning: modle',
      'error: $',
      'error: ?',
      'error: @',
    ]);
    assert.deepEqual(model(file, 'A').fields.map((f) => f.name.name), ['s', 'l']);
  });

  test('multi-file schema folder: every file parsed, every node remembers its file', () => {
    const folder = path.join(FIXTURES, 'multi/prisma/schema');
    const schema = loadPrismaSchema(folder, nodeDirectoryView);
    assert.deepEqual(schema.diagnostics, []);
    const rel = (p: string) => path.relative(folder, p).split(path.sep).join('/');
    assert.deepEqual(schema.files.map((f) => rel(f.path)), ['main.prisma', 'models/post.prisma', 'models/user.prisma']);
    const byName = new Map(schema.blocks.map((b) => [b.name.name, b]));
    assert.equal(rel(byName.get('User')!.file), 'models/user.prisma');
    const post = byName.get('Post') as ModelBlock;
    assert.equal(rel(post.file), 'models/post.prisma');
    assert.equal(rel(post.fields[3].file), 'models/post.prisma');
    assert.equal(rel(post.attributes[0].file), 'models/post.prisma');
    assert.equal(rel(byName.get('Role')!.file), 'main.prisma');
    // One file of the folder stands for the whole schema.
    assert.equal(findPrismaSchemaFiles(path.join(folder, 'main.prisma'), nodeDirectoryView).length, 3);
  });
});
