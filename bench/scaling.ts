/**
 * Robustness benchmark: the inputs that once took minutes (bench/scaling-inputs.ts) at 1×, 10× and 100× their base
 * size, each linted by the built CLI (dist/cli.js) in a process of its own. Prints wall time, CPU time and peak
 * RSS per size, and the ratio to the size before: linear growth shows as ratios near 10.
 *
 *   npm run build && node --import tsx bench/scaling.ts [--quick]
 *
 * `--quick` runs 1× and 10× only. Also run by `npm run bench` (bench/run.ts).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { duplicateIndexes, foreignKeysToOneTable, prismaModelsToOneModel, type ScalingInput } from './scaling-inputs';

const CLI = resolve(__dirname, '../dist/cli.js');
const TIME = '/usr/bin/time';

/** Base sizes (the 1× column): the 100× inputs are 2.6 MB to 7 MB of text. */
const BASES: [ScalingInput, number][] = [
  [duplicateIndexes, 1_000],
  [foreignKeysToOneTable, 800],
  [prismaModelsToOneModel, 900],
];

export interface ScalingRow {
  input: string;
  size: number;
  bytes: number;
  wallSeconds: number;
  cpuSeconds: number;
  peakRssMb: number;
  findings: number;
  expectedFindings: number;
}

/** Bytes of the file, or of the files in the folder. */
function sizeOf(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.size;
  return readdirSync(path).reduce((sum, name) => sum + statSync(join(path, name)).size, 0);
}

export function measure(input: ScalingInput, n: number): ScalingRow {
  const dir = mkdtempSync(join(tmpdir(), `pgvet-scaling-${input.id}-`));
  try {
    const target = input.write(dir, n);
    const out = join(dir, 'out.json');
    const r = spawnSync('sh', ['-c', `${TIME} -f '%e %U %S %M' ${process.execPath} ${CLI} lint ${target} --format json > ${out}`], { encoding: 'utf8' });
    const last = r.stderr.trim().split('\n').at(-1) ?? '';
    const [wall, user, sys, rssKb] = last.split(' ').map(Number);
    if (!Number.isFinite(wall)) throw new Error(`${input.id} ${n}: ${r.stderr}`);
    const report = JSON.parse(readFileSync(out, 'utf8')) as { files: { findings: { ruleId: string }[] }[] };
    const expected = input.expected(n);
    const findings = report.files.flatMap((f) => f.findings).filter((f) => f.ruleId in expected).length;
    return {
      input: input.describe(n), size: n, bytes: sizeOf(target), wallSeconds: wall, cpuSeconds: user + sys, peakRssMb: Math.round(rssKb / 1024),
      findings, expectedFindings: Object.values(expected).reduce((a, b) => a + b, 0),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function runScaling(quick = false): ScalingRow[] {
  const rows: ScalingRow[] = [];
  console.log(`\nScaling (load average ${loadavg().map((l) => l.toFixed(1)).join(' ')})`);
  console.log('| input | size | MB | wall (s) | CPU (s) | CPU ratio to previous | peak RSS (MB) | findings |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const [input, base] of BASES) {
    let previous: ScalingRow | undefined;
    for (const factor of quick ? [1, 10] : [1, 10, 100]) {
      const row = measure(input, base * factor);
      rows.push(row);
      const ratio = previous ? (row.cpuSeconds / previous.cpuSeconds).toFixed(1) : '—';
      const ok = row.findings === row.expectedFindings ? '' : ` (expected ${row.expectedFindings})`;
      console.log(`| ${input.id} | ${row.size.toLocaleString('en')} | ${(row.bytes / 1e6).toFixed(2)} | ${row.wallSeconds.toFixed(2)} | ${row.cpuSeconds.toFixed(2)} | ${ratio} | ${row.peakRssMb} | ${row.findings.toLocaleString('en')}${ok} |`);
      previous = row;
    }
  }
  console.log(`load average after: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  return rows;
}

if (require.main === module) runScaling(process.argv.includes('--quick'));
