import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';

const CLI = resolve(__dirname, '../../dist/cli.js');
const CORPUS = resolve(__dirname, '../../../shared/corpus');

interface JsonFinding { ruleId: string; fingerprint: string; object?: object; line: number }
interface JsonOut { files: { path: string; findings: JsonFinding[] }[] }

// Each schema problem once: on every real project of the corpus (Prisma schemas beside their migrations among
// them), no schema finding shares its fingerprint (rule, schema's home, object) with another, so no object is
// reported twice by one rule, neither on a model and its migration nor on two migrations.
test('corpus: every schema problem is reported once (unique fingerprints, one finding per rule and object)', () => {
  const rows: string[] = [];
  let onModels = 0;
  for (const project of readdirSync(CORPUS, { withFileTypes: true }).filter((e) => e.isDirectory())) {
    const r = spawnSync(process.execPath, [CLI, 'lint', join(CORPUS, project.name), '--format', 'json', '--no-baseline', '--jobs', '1'], { encoding: 'utf8', maxBuffer: 1 << 30 });
    assert.ok(r.status === 0 || r.status === 1, `${project.name}: exit ${r.status}: ${r.stderr}`);
    const out = JSON.parse(r.stdout) as JsonOut;
    const seen = new Map<string, string>();
    let schema = 0;
    let all = 0;
    for (const file of out.files) {
      for (const f of file.findings) {
        all++;
        assert.match(f.fingerprint, /^[0-9a-f]{16}$/);
        if (!f.object) continue;
        schema++;
        if (file.path.endsWith('.prisma')) onModels++;
        const here = `${file.path}:${f.line} ${f.ruleId} ${JSON.stringify(f.object)}`;
        const before = seen.get(f.fingerprint);
        assert.equal(before, undefined, `${project.name}: one problem reported twice:\n  ${before}\n  ${here}`);
        seen.set(f.fingerprint, here);
      }
    }
    // Statement findings too: their fingerprints tell them apart (occurrence index within a file).
    const fingerprints = out.files.flatMap((f) => f.findings.map((x) => x.fingerprint));
    assert.equal(new Set(fingerprints).size, fingerprints.length, `${project.name}: two findings share a fingerprint`);
    rows.push(`${project.name}: ${schema} schema finding(s) of ${all}, each problem once`);
  }
  // The Prisma projects' problems are on their models (the migrations' copies are the ones left out).
  assert.ok(onModels > 100, `schema findings on Prisma models: ${onModels}`);
  process.stdout.write(`${rows.join('\n')}\n${onModels} schema finding(s) on Prisma models\n`);
});
