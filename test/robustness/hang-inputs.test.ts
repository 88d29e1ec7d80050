import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { duplicateIndexes, foreignKeysToOneTable, prismaModelsToOneModel, type ScalingInput } from '../../bench/scaling-inputs';

const CLI = resolve(__dirname, '../../dist/cli.js');
/** Far above what these take now (seconds), far below what they took before (minutes, or never finished). */
const LIMIT_MS = 120_000;

/**
 * Inputs that made the time grow with the square (or cube) of their size, at a size that took from seconds to
 * many minutes before: each must finish under a generous limit with the right findings. Not a speed test
 * (bench/scaling.ts measures): a hang or a quadratic blow-up is what fails it.
 */
const CASES: [ScalingInput, number, string][] = [
  [duplicateIndexes, 5_000, '5,000 duplicates took 382 s'],
  [foreignKeysToOneTable, 8_000, '8,000 tables took 12 s, 43 % of it in freeIndexName'],
  [prismaModelsToOneModel, 9_000, 'a 1 MB schema took 10 s, 10 MB more than 300 s'],
];

describe('inputs that once hung pgvet', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pgvet-hang-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const [input, n, before] of CASES) {
    test(`${input.describe(n)} (${before}): finishes with the right findings`, { timeout: LIMIT_MS + 30_000 }, () => {
      const target = input.write(join(dir, input.id), n);
      const r = spawnSync(process.execPath, [CLI, 'lint', target, '--format', 'json'], { encoding: 'utf8', timeout: LIMIT_MS, maxBuffer: 1 << 30 });
      assert.equal(r.signal, null, `killed after ${LIMIT_MS / 1000} s: it hangs again`);
      assert.equal(r.status, 1, r.stderr);
      const out = JSON.parse(r.stdout) as { files: { findings: { ruleId: string }[] }[] };
      const expected = input.expected(n);
      const counts: Record<string, number> = {};
      for (const f of out.files.flatMap((file) => file.findings)) if (f.ruleId in expected) counts[f.ruleId] = (counts[f.ruleId] ?? 0) + 1;
      assert.deepEqual(counts, expected);
    });
  }
});
