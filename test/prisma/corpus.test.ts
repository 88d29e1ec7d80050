import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { buildPrismaDatabaseModel, parsePrismaFile, parsePrismaSchema } from '../../core/src/parse/prisma';

const CORPUS = path.resolve(__dirname, '../../../shared/corpus');

function findPrismaFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...findPrismaFiles(full));
    else if (entry.name.endsWith('.prisma')) out.push(full);
  }
  return out.sort();
}

test('every .prisma file of the corpus parses without a syntax error (MySQL, SQLite, MongoDB… too)', { skip: !fs.existsSync(CORPUS) && 'corpus not checked out next to the repo' }, () => {
  const files = findPrismaFiles(CORPUS);
  assert.ok(files.length >= 70, `expected the corpus' ~70 schemas, found ${files.length}`);
  let models = 0;
  let fields = 0;
  let enums = 0;
  const providers = new Map<string, number>();
  const problems: string[] = [];
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const parsed = parsePrismaFile(text, file);
    for (const d of parsed.diagnostics) {
      const line = text.slice(0, d.start).split('\n').length;
      problems.push(`${path.relative(CORPUS, file)}:${line}: ${d.severity}: ${d.message}`);
    }
    for (const b of parsed.blocks) {
      if (b.kind === 'model' || b.kind === 'view') {
        models++;
        fields += b.fields.length;
      } else if (b.kind === 'enum') enums++;
    }
    // The mapping must not throw on any provider either.
    const db = buildPrismaDatabaseModel(parsePrismaSchema([{ path: file, text }]));
    providers.set(db.provider ?? '(none)', (providers.get(db.provider ?? '(none)') ?? 0) + 1);
  }
  assert.deepEqual(problems, []);
  console.log(`parsed ${files.length} files: ${models} models and views, ${fields} fields, ${enums} enums; providers ${JSON.stringify(Object.fromEntries(providers))}`);
});

test('the 290 KB civitai schema: parse time (printed, not asserted)', { skip: !fs.existsSync(CORPUS) && 'corpus not checked out' }, () => {
  const file = path.join(CORPUS, 'civitai__civitai/packages/civitai-db-schema/prisma/schema.full.prisma');
  const text = fs.readFileSync(file, 'utf8');
  for (let i = 0; i < 10; i++) parsePrismaFile(text, file);
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    parsePrismaFile(text, file);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const parsed = parsePrismaFile(text, file);
  assert.deepEqual(parsed.diagnostics, []);
  const t0 = performance.now();
  const db = buildPrismaDatabaseModel(parsePrismaSchema([{ path: file, text }]));
  const mapMs = performance.now() - t0;
  console.log(`civitai schema.full.prisma (${(text.length / 1024).toFixed(0)} KB, ${db.tables.length} tables): parse median ${times[10].toFixed(1)} ms, min ${times[0].toFixed(1)} ms; parse + mapping ${mapMs.toFixed(1)} ms`);
});
