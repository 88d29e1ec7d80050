import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { format } from '@prisma/prisma-schema-wasm';
import { resolveConfig } from '../../core/src/engine/resolve-config';
import { DEFAULT_PGVET_JSON, type PgvetJson, type RuleSetting } from '../../core/src/config/schema';
import { lintPrisma, prismaSuppressionFixes } from '../../core/src/engine/prisma-lint';
import type { Finding, TextEdit } from '../../core/src/rule-kit/types';
import { addFieldAttribute, insertBlockAttribute, insertFields } from '../../core/src/fixes/prisma-edits';
import { parsePrismaFile, type ModelBlock, type PrismaFile } from '../../core/src/parse/prisma';
import { RULES } from '../../core/src/rules';
import { applyEdits } from '../support/catalog-rule-tester';

// Every edit is checked against Prisma's own formatter: @prisma/prisma-schema-wasm is the prisma-fmt that
// `prisma format` runs. A fixed schema must be its own formatting and parse without errors.

const FORMAT_PARAMS = JSON.stringify({ textDocument: { uri: 'file:/dev/null' }, options: { tabSize: 2, insertSpaces: true } });

/** `prisma format` of one schema file. */
function prismaFormat(text: string): string {
  const files = JSON.parse(format(JSON.stringify([['schema.prisma', text]]), FORMAT_PARAMS)) as [string, string][];
  return files[0][1];
}

function parse(text: string): PrismaFile {
  const file = parsePrismaFile(text, 'schema.prisma');
  assert.deepEqual(file.diagnostics.map((d) => d.message), [], 'the text parses');
  return file;
}

/** The input of a test, which must already be as `prisma format` prints it, or the test would prove nothing. */
function formatted(text: string): string {
  assert.equal(prismaFormat(text), text, 'the test input is prisma-formatted');
  return text;
}

/** Applies the edits and checks that the result parses and is exactly what `prisma format` makes of it. */
function apply(text: string, edits: (TextEdit | undefined)[] | undefined): string {
  assert.ok(edits && edits.length > 0 && edits.every((e) => e), 'edits are produced');
  const out = applyEdits(text, edits as TextEdit[]);
  parse(out);
  assert.equal(out, prismaFormat(out), 'the fixed text is prisma-formatted');
  return out;
}

function model(file: PrismaFile, name: string): ModelBlock {
  return file.blocks.find((b): b is ModelBlock => b.kind === 'model' && b.name.name === name)!;
}

const DS = 'datasource db {\n  provider = "postgresql"\n}\n\n';

/** Lints a .prisma text with only `ruleIds` on; the findings of those rules. */
function lint(text: string, ruleIds: string[], project: Partial<PgvetJson> = {}): Finding[] {
  const rules: Record<string, RuleSetting> = Object.fromEntries(RULES.map((r) => [r.id, ruleIds.includes(r.id) ? 'warning' : 'off']));
  const config = resolveConfig({ ...DEFAULT_PGVET_JSON, ...project, rules });
  return lintPrisma({ path: '/p/prisma/schema.prisma', text, config, fs: { readFile: () => undefined, list: () => [] } }).findings;
}

/** The rule's quick fix applied to a formatted schema, checked against the formatter. */
function fixed(ruleId: string, text: string, project: Partial<PgvetJson> = {}): string {
  const findings = lint(formatted(text), [ruleId], project).filter((f) => f.ruleId === ruleId);
  assert.equal(findings.length, 1, findings.map((f) => f.message).join('\n'));
  assert.ok(findings[0].fix, 'the finding has a fix');
  return apply(text, findings[0].fix.edits);
}

describe('insertBlockAttribute', () => {
  test('after the fields and a blank line when the model has no @@ attribute', () => {
    const text = formatted('model Post {\n  id       Int  @id\n  authorId Int\n  author   User @relation(fields: [authorId], references: [id])\n}\n');
    const file = parse(text);
    assert.equal(
      apply(text, [insertBlockAttribute(file, model(file, 'Post'), 'index([authorId])')]),
      'model Post {\n  id       Int  @id\n  authorId Int\n  author   User @relation(fields: [authorId], references: [id])\n\n  @@index([authorId])\n}\n',
    );
  });

  test('among the @@ attributes in the formatter\'s order: after @@id and @@unique, before @@map and @@schema', () => {
    const text = formatted('model M {\n  a Int\n  b Int\n\n  @@id([a, b])\n  @@unique([b])\n  @@map("m") // legacy\n  @@schema("app")\n}\n');
    const file = parse(text);
    assert.equal(
      apply(text, [insertBlockAttribute(file, model(file, 'M'), 'index([b, a])')]),
      'model M {\n  a Int\n  b Int\n\n  @@id([a, b])\n  @@unique([b])\n  @@index([b, a])\n  @@map("m") // legacy\n  @@schema("app")\n}\n',
    );
  });

  test('after the existing @@index lines, keeping their order', () => {
    const text = formatted('model M {\n  a Int\n  b Int\n\n  @@index([a])\n}\n');
    const file = parse(text);
    assert.equal(apply(text, [insertBlockAttribute(file, model(file, 'M'), 'index([b])')]), 'model M {\n  a Int\n  b Int\n\n  @@index([a])\n  @@index([b])\n}\n');
  });

  test('above the comment that the formatter keeps with @@map', () => {
    const text = formatted('model M {\n  a Int\n\n  // the old name\n  @@map("m")\n}\n');
    const file = parse(text);
    assert.equal(apply(text, [insertBlockAttribute(file, model(file, 'M'), 'index([a])')]), 'model M {\n  a Int\n\n  @@index([a])\n  // the old name\n  @@map("m")\n}\n');
  });

  test('after a comment that follows the last field', () => {
    const text = formatted('model M {\n  a Int\n  // more fields to come\n}\n');
    const file = parse(text);
    assert.equal(apply(text, [insertBlockAttribute(file, model(file, 'M'), 'index([a])')]), 'model M {\n  a Int\n  // more fields to come\n\n  @@index([a])\n}\n');
  });
});

describe('insertFields', () => {
  test('a longer field re-aligns the whole last group, not the groups before it', () => {
    const text = formatted([
      'model Order {',
      '  id    Int @id @default(autoincrement())',
      '  total Int',
      '',
      '  note String?',
      '  /// who placed it',
      '  by   String',
      '}',
      '',
    ].join('\n'));
    const file = parse(text);
    const edits = insertFields(file, model(file, 'Order'), [
      { name: 'tenantId', type: 'String?', attributes: ['@map("tenant_id")'] },
      { name: 'tenant', type: 'Tenant?', attributes: ['@relation(fields: [tenantId], references: [id])'] },
    ]);
    const out = applyEdits(text, edits as TextEdit[]);
    assert.equal(out, [
      'model Order {',
      '  id    Int @id @default(autoincrement())',
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
    // The relation needs its model for the formatter (it adds missing back-relations): check with both.
    const tenant = 'model Tenant {\n  id     String  @id\n  orders Order[]\n}\n';
    assert.equal(prismaFormat(`${out}\n${tenant}`), `${out}\n${tenant}`);
  });

  test('a shorter field takes the widths of its group', () => {
    const text = formatted('model Tenant {\n  id        String   @id @db.Uuid\n  createdAt DateTime @default(now())\n\n  @@map("tenants")\n}\n');
    const file = parse(text);
    assert.equal(
      apply(text, insertFields(file, model(file, 'Tenant'), [{ name: 'notes', type: 'String[]' }])),
      'model Tenant {\n  id        String   @id @db.Uuid\n  createdAt DateTime @default(now())\n  notes     String[]\n\n  @@map("tenants")\n}\n',
    );
  });

  test('trailing comments follow their row after one space: they are not a column', () => {
    const text = formatted('model M {\n  id   Int      @id // the key\n  body String // free text\n  at   DateTime @default(now())\n}\n');
    const file = parse(text);
    assert.equal(
      apply(text, insertFields(file, model(file, 'M'), [{ name: 'authorName', type: 'String?', comment: '// copied at write time' }])),
      'model M {\n  id         Int      @id // the key\n  body       String // free text\n  at         DateTime @default(now())\n  authorName String? // copied at write time\n}\n',
    );
  });

  test('column widths count UTF-8 bytes, as the formatter does, so a non-ASCII Unsupported("…") type does not line up', () => {
    const pad = (n: number) => ' '.repeat(n);
    // "Unsupported(\"géo\")?" is 19 characters but 20 bytes: the formatter pads the column to 20 + 1.
    const text = formatted(`model M {\n  id Int${pad(18)}@id\n  g  Unsupported("géo")? @map("x")\n}\n`);
    const file = parse(text);
    assert.equal(
      apply(text, insertFields(file, model(file, 'M'), [{ name: 'label', type: 'String', attributes: ['@default("x")'] }])),
      `model M {\n  id    Int${pad(18)}@id\n  g     Unsupported("géo")? @map("x")\n  label String${pad(15)}@default("x")\n}\n`,
    );
  });

  test('new attributes are put in the formatter\'s order', () => {
    const text = formatted('model M {\n  id Int @id\n}\n');
    const file = parse(text);
    assert.equal(
      apply(text, insertFields(file, model(file, 'M'), [{ name: 'tenantId', type: 'String?', attributes: ['@db.Uuid', '@map("tenant_id")'] }])),
      'model M {\n  id       Int     @id\n  tenantId String? @map("tenant_id") @db.Uuid\n}\n',
    );
  });
});

describe('addFieldAttribute', () => {
  test('@id goes first and the attribute column moves where needed', () => {
    const text = formatted('model Log {\n  id      Int\n  message String   @default("")\n  at      DateTime\n}\n');
    const file = parse(text);
    const m = model(file, 'Log');
    assert.equal(apply(text, addFieldAttribute(file, m, m.fields[0], '@id')), 'model Log {\n  id      Int      @id\n  message String   @default("")\n  at      DateTime\n}\n');
  });

  test('only the lines that change get an edit', () => {
    const text = formatted('model Log {\n  id      Int    @default(autoincrement())\n  message String\n}\n');
    const file = parse(text);
    const m = model(file, 'Log');
    const edits = addFieldAttribute(file, m, m.fields[0], '@id');
    assert.equal(edits?.length, 1);
    assert.equal(apply(text, edits), 'model Log {\n  id      Int    @id @default(autoincrement())\n  message String\n}\n');
  });

  test('an attribute ranked after others goes after them (@map after @default, before @db.*)', () => {
    const text = formatted('model Log {\n  id       Int    @id\n  tenantId String @default("") @db.Uuid // who\n}\n');
    const file = parse(text);
    const m = model(file, 'Log');
    assert.equal(
      apply(text, addFieldAttribute(file, m, m.fields[1], '@map("tenant_id")')),
      'model Log {\n  id       Int    @id\n  tenantId String @default("") @map("tenant_id") @db.Uuid // who\n}\n',
    );
  });
});

describe('every Prisma quick fix leaves the schema as prisma format prints it', () => {
  test('unindexed-foreign-key: @@index before @@map, after a blank line when there is no @@ attribute', () => {
    const users = 'model User {\n  id    Int    @id\n  posts Post[]\n  notes Note[]\n}\n';
    const notes = '\nmodel Note {\n  id       Int  @id\n  authorId Int\n  author   User @relation(fields: [authorId], references: [id])\n}\n';
    const posts = '\nmodel Post {\n  id       Int  @id\n  authorId Int\n  author   User @relation(fields: [authorId], references: [id])\n\n  @@map("posts")\n}\n';
    const findings = lint(formatted(DS + users + notes + posts), ['unindexed-foreign-key']);
    assert.equal(findings.length, 2);
    assert.deepEqual(findings.map((f) => apply(DS + users + notes + posts, f.fix!.edits)), [
      DS + users + notes.replace('[id])\n}', '[id])\n\n  @@index([authorId])\n}') + posts,
      DS + users + notes + posts.replace('\n  @@map', '\n  @@index([authorId])\n  @@map'),
    ]);
  });

  test('unindexed-foreign-key: a composite FK, field names (not column names) in the index', () => {
    const schema = DS + [
      'model Account {',
      '  tenantId String  @map("tenant_id")',
      '  number   Int',
      '  entries  Entry[]',
      '',
      '  @@id([tenantId, number])',
      '}',
      '',
      'model Entry {',
      '  id            Int     @id',
      '  tenantId      String  @map("tenant_id")',
      '  accountNumber Int     @map("account_number") // the ledger account',
      '  account       Account @relation(fields: [tenantId, accountNumber], references: [tenantId, number])',
      '}',
      '',
    ].join('\n');
    assert.match(fixed('unindexed-foreign-key', schema), /account_number"\) \/\/ the ledger account\n {2}account {7}Account @relation\(fields: \[tenantId, accountNumber\], references: \[tenantId, number\]\)\n\n {2}@@index\(\[tenantId, accountNumber\]\)\n\}/);
  });

  test('missing-tenant-column: nullable field, relation and back-relation, aligned around trailing and doc comments', () => {
    const schema = DS + [
      'model Tenant {',
      '  id        String   @id @default(uuid()) @db.Uuid',
      '  name      String // display name',
      '  createdAt DateTime @default(now())',
      '',
      '  @@map("tenants")',
      '}',
      '',
      'model Invoice {',
      '  id    Int     @id @default(autoincrement())',
      '  /// in cents',
      '  total Int // before tax',
      '  note  String?',
      '',
      '  @@index([total])',
      '}',
      '',
    ].join('\n');
    assert.equal(fixed('missing-tenant-column', schema, { tenant: { ...DEFAULT_PGVET_JSON.tenant, mode: 'on' } }), DS + [
      'model Tenant {',
      '  id        String    @id @default(uuid()) @db.Uuid',
      '  name      String // display name',
      '  createdAt DateTime  @default(now())',
      '  invoices  Invoice[]',
      '',
      '  @@map("tenants")',
      '}',
      '',
      'model Invoice {',
      '  id       Int     @id @default(autoincrement())',
      '  /// in cents',
      '  total    Int // before tax',
      '  note     String?',
      '  tenantId String? @map("tenant_id") @db.Uuid // TODO: backfill tenantId, then make it required',
      '  tenant   Tenant? @relation(fields: [tenantId], references: [id])',
      '',
      '  @@index([total])',
      '}',
      '',
    ].join('\n'));
  });

  test('no-primary-key: @id first among the attributes, the group re-aligned, its trailing comment kept', () => {
    assert.equal(
      fixed('no-primary-key', DS + 'model Event {\n  id      String @default(uuid()) @db.Uuid // from the client\n  payload Json\n}\n'),
      DS + 'model Event {\n  id      String @id @default(uuid()) @db.Uuid // from the client\n  payload Json\n}\n',
    );
  });

  test('unused-ignore: the comment goes, alone on its line or at the end of one (no space left behind)', () => {
    const schema = formatted(DS + 'model M {\n  id   Int    @id\n  // pgvet-ignore no-primary-key\n  name String // pgvet-ignore unindexed-foreign-key\n}\n');
    const findings = lint(schema, ['unused-ignore']).filter((f) => f.ruleId === 'unused-ignore');
    assert.equal(findings.length, 2);
    const outs = findings.map((f) => apply(schema, f.fix!.edits));
    assert.deepEqual(outs, [
      DS + 'model M {\n  id   Int    @id\n  name String // pgvet-ignore unindexed-foreign-key\n}\n',
      DS + 'model M {\n  id   Int    @id\n  // pgvet-ignore no-primary-key\n  name String\n}\n',
    ]);
  });

  test('the "Ignore … for this field / model / attribute / file" suppressions', () => {
    const schema = formatted(DS + [
      'model User {',
      '  id    Int    @id',
      '  posts Post[]',
      '}',
      '',
      '/// A post',
      'model Post {',
      '  id       Int  @id',
      '  authorId Int',
      '  author   User @relation(fields: [authorId], references: [id])',
      '',
      '  @@unique([id, authorId])',
      '}',
      '',
      'model Log {',
      '  at DateTime',
      '}',
      '',
    ].join('\n'));
    const file = parse(schema);
    const at = (needle: string): Finding => ({ ruleId: 'some-rule', severity: 'warning', message: '', start: schema.indexOf(needle), end: schema.indexOf(needle) + needle.length });
    const checked: string[] = [];
    for (const needle of ['author   User', '@@unique', 'model Log', 'at DateTime']) {
      const fixes = prismaSuppressionFixes(file, at(needle));
      for (const fix of [fixes.node, fixes.file]) {
        if (!fix) continue;
        apply(schema, fix.edits);
        checked.push(fix.title);
      }
    }
    assert.deepEqual([...new Set(checked)].sort(), [
      'Ignore some-rule for this attribute', 'Ignore some-rule for this field', 'Ignore some-rule for this file', 'Ignore some-rule for this model',
    ]);
  });
});

const CORPUS = path.resolve(__dirname, '../../../shared/corpus');

function corpusSchemas(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...corpusSchemas(full));
    else if (e.name.endsWith('.prisma')) out.push(full);
  }
  return out.sort();
}

/** The tenants model and column of the corpus projects that have one, so that missing-tenant-column has real models to fix. */
const TENANCY: Record<string, { table: string; column: string }> = {
  'hoppscotch__hoppscotch/packages/hoppscotch-backend/prisma/schema.prisma': { table: 'Team', column: 'teamID' },
  'triggerdotdev__trigger.dev/internal-packages/database/prisma/schema.prisma': { table: 'Organization', column: 'organizationId' },
};

test('real corpus schemas already prisma-formatted stay formatted under every quick fix that applies', { skip: !fs.existsSync(CORPUS) && 'corpus not checked out next to the repo' }, () => {
  const fixRules = ['unindexed-foreign-key', 'no-primary-key', 'missing-tenant-column'];
  const checked = new Map<string, number>();
  const problems: string[] = [];
  let formattedSchemas = 0;
  for (const file of corpusSchemas(CORPUS)) {
    const text = fs.readFileSync(file, 'utf8');
    if (!/provider\s*=\s*"postgres(ql)?"/.test(text) || prismaFormat(text) !== text) continue;
    formattedSchemas++;
    const tenancy = TENANCY[path.relative(CORPUS, file)];
    const tenant = { ...DEFAULT_PGVET_JSON.tenant, mode: 'on' as const, ...tenancy };
    for (const finding of lint(text, fixRules, { tenant })) {
      if (!finding.fix) continue;
      const out = applyEdits(text, finding.fix.edits);
      const diagnostics = parsePrismaFile(out, file).diagnostics;
      if (diagnostics.length || prismaFormat(out) !== out) {
        problems.push(`${path.relative(CORPUS, file)}: ${finding.fix.title}${diagnostics.length ? `: ${diagnostics[0].message}` : ': not prisma-formatted'}`);
      }
      checked.set(finding.ruleId, (checked.get(finding.ruleId) ?? 0) + 1);
    }
  }
  console.log(`${formattedSchemas} prisma-formatted PostgreSQL corpus schemas; fixes checked: ${JSON.stringify(Object.fromEntries(checked))}`);
  assert.deepEqual(problems, []);
  // Both kinds of fix that the corpus offers were exercised (its formatted schemas have no keyless model with an id field).
  assert.ok((checked.get('unindexed-foreign-key') ?? 0) >= 50 && (checked.get('missing-tenant-column') ?? 0) >= 50, JSON.stringify(Object.fromEntries(checked)));
});
