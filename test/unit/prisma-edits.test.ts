import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TextEdit } from '../../server/src/engine/types';
import { addFieldAttribute, insertBlockAttribute, insertFields } from '../../server/src/fixes/prisma-edits';
import { parsePrismaFile, type ModelBlock, type PrismaFile } from '../../server/src/parse/prisma';
import { applyEdits } from '../support/catalog-rule-tester';

// Expected texts are written by hand following `prisma format`: two-space indent, fields aligned in
// columns (name, type, attributes, trailing comment) per group of consecutive lines, block
// attributes after a blank line.

function parse(text: string): PrismaFile {
  const file = parsePrismaFile(text, 'schema.prisma');
  assert.deepEqual(file.diagnostics.map((d) => d.message), [], 'the input parses');
  return file;
}

function model(file: PrismaFile, name: string): ModelBlock {
  return file.blocks.find((b): b is ModelBlock => b.kind === 'model' && b.name.name === name)!;
}

function apply(text: string, edits: (TextEdit | undefined)[] | undefined): string {
  assert.ok(edits && edits.every((e) => e), 'edits are produced');
  const out = applyEdits(text, edits as TextEdit[]);
  assert.deepEqual(parse(out).diagnostics, [], 'the output re-parses');
  return out;
}

describe('insertBlockAttribute', () => {
  test('after the fields and a blank line when the model has no @@ attribute', () => {
    const text = 'model Post {\n  id       Int  @id\n  authorId Int\n  author   User @relation(fields: [authorId], references: [id])\n}\n';
    const file = parse(text);
    assert.equal(
      apply(text, [insertBlockAttribute(file, model(file, 'Post'), 'index([authorId])')]),
      'model Post {\n  id       Int  @id\n  authorId Int\n  author   User @relation(fields: [authorId], references: [id])\n\n  @@index([authorId])\n}\n',
    );
  });

  test('after the existing @@ attributes', () => {
    const text = 'model M {\n  a Int\n  b Int\n\n  @@id([a, b])\n  @@map("m") // legacy\n}\n';
    const file = parse(text);
    assert.equal(apply(text, [insertBlockAttribute(file, model(file, 'M'), 'index([b, a])')]), 'model M {\n  a Int\n  b Int\n\n  @@id([a, b])\n  @@map("m") // legacy\n  @@index([b, a])\n}\n');
  });
});

describe('insertFields', () => {
  test('a longer field re-aligns the whole last group, not the groups before it', () => {
    const text = [
      'model Order {',
      '  id    Int    @id @default(autoincrement())',
      '  total Int',
      '',
      '  note String?',
      '  /// who placed it',
      '  by   String',
      '}',
      '',
    ].join('\n');
    const file = parse(text);
    const edits = insertFields(file, model(file, 'Order'), [
      { name: 'tenantId', type: 'String?', attributes: ['@map("tenant_id")'] },
      { name: 'tenant', type: 'Tenant?', attributes: ['@relation(fields: [tenantId], references: [id])'] },
    ]);
    assert.equal(apply(text, edits), [
      'model Order {',
      '  id    Int    @id @default(autoincrement())',
      '  total Int',
      '',
      '  note     String?',
      '  /// who placed it',
      '  by       String',
      '  tenantId String? @map("tenant_id")',
      '  tenant   Tenant? @relation(fields: [tenantId], references: [id])',
      '}',
      '',
    ].join('\n'));
  });

  test('a shorter field takes the widths of its group', () => {
    const text = 'model Tenant {\n  id        String   @id @db.Uuid\n  createdAt DateTime @default(now())\n\n  @@map("tenants")\n}\n';
    const file = parse(text);
    assert.equal(
      apply(text, insertFields(file, model(file, 'Tenant'), [{ name: 'orders', type: 'Order[]' }])),
      'model Tenant {\n  id        String   @id @db.Uuid\n  createdAt DateTime @default(now())\n  orders    Order[]\n\n  @@map("tenants")\n}\n',
    );
  });
});

describe('addFieldAttribute', () => {
  test('@id goes first and the attribute column moves where needed', () => {
    const text = 'model Log {\n  id      Int\n  message String @default("")\n  at      DateTime\n}\n';
    const file = parse(text);
    const m = model(file, 'Log');
    assert.equal(apply(text, addFieldAttribute(file, m, m.fields[0], '@id')), 'model Log {\n  id      Int      @id\n  message String   @default("")\n  at      DateTime\n}\n');
  });

  test('only the lines that change get an edit', () => {
    const text = 'model Log {\n  id      Int      @default(autoincrement())\n  message String\n}\n';
    const file = parse(text);
    const m = model(file, 'Log');
    const edits = addFieldAttribute(file, m, m.fields[0], '@id');
    assert.equal(edits?.length, 1);
    assert.equal(apply(text, edits), 'model Log {\n  id      Int    @id @default(autoincrement())\n  message String\n}\n');
  });
});
