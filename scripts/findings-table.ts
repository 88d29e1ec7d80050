// Counts pgvet's findings per corpus project and rule, to compare two builds of pgvet on the same histories.
//   node --import tsx scripts/findings-table.ts snapshot out.json       (uses dist/cli.js: run `npm run build` first)
//   node --import tsx scripts/findings-table.ts compare before.json after.json   (prints a Markdown table)
// Keeps every finding (file, line, rule, message), so a diff can show what appeared or disappeared.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

interface Finding { ruleId: string; severity: string; message: string; line: number; column: number }
interface Snapshot { projects: Record<string, Array<Finding & { path: string }>> }

const corpus = resolve(import.meta.dirname, '../../shared/corpus');
const cli = resolve(import.meta.dirname, '../dist/cli.js');

function snapshot(out: string): void {
  const projects: Snapshot['projects'] = {};
  for (const name of readdirSync(corpus).sort()) {
    const dir = join(corpus, name);
    if (!existsSync(dir) || name.endsWith('.md')) continue;
    let text: string;
    try {
      text = execFileSync('node', [cli, 'lint', dir, '--format', 'json', '--jobs', '1'], { maxBuffer: 1 << 30, encoding: 'utf8' });
    } catch (error) {
      text = (error as { stdout?: string }).stdout ?? '';
    }
    const report = JSON.parse(text) as { files: Array<{ path: string; findings: Finding[] }> };
    projects[name] = report.files.flatMap((f) =>
      f.findings.map((x) => ({ path: f.path.replace(/^.*?corpus\//, ''), ruleId: x.ruleId, severity: x.severity, message: x.message, line: x.line, column: x.column })),
    );
  }
  writeFileSync(out, JSON.stringify({ projects }, null, 1));
}

function counts(s: Snapshot): Map<string, Map<string, number>> {
  const byRule = new Map<string, Map<string, number>>();
  for (const [project, findings] of Object.entries(s.projects)) {
    for (const f of findings) {
      const key = `${f.ruleId} (${f.severity})`;
      const row = byRule.get(key) ?? new Map<string, number>();
      row.set(project, (row.get(project) ?? 0) + 1);
      byRule.set(key, row);
    }
  }
  return byRule;
}

function compare(beforeFile: string, afterFile: string): void {
  const before = JSON.parse(readFileSync(beforeFile, 'utf8')) as Snapshot;
  const after = JSON.parse(readFileSync(afterFile, 'utf8')) as Snapshot;
  const b = counts(before);
  const a = counts(after);
  const projects = [...new Set([...Object.keys(before.projects), ...Object.keys(after.projects)])].sort();
  const short = (p: string) => p.split('__')[1] ?? p;
  const rules = [...new Set([...b.keys(), ...a.keys()])].sort();
  console.log(`| rule (severity) | ${projects.map(short).join(' | ')} | total |`);
  console.log(`|---|${projects.map(() => '---:').join('|')}|---:|`);
  const cell = (x: number, y: number) => (x === y ? `${y}` : `${x} → **${y}**`);
  let tb = 0;
  let ta = 0;
  for (const rule of rules) {
    const rb = b.get(rule) ?? new Map();
    const ra = a.get(rule) ?? new Map();
    let sb = 0;
    let sa = 0;
    const cells = projects.map((p) => {
      const x = rb.get(p) ?? 0;
      const y = ra.get(p) ?? 0;
      sb += x;
      sa += y;
      return x === 0 && y === 0 ? '' : cell(x, y);
    });
    tb += sb;
    ta += sa;
    console.log(`| ${rule} | ${cells.join(' | ')} | ${cell(sb, sa)} |`);
  }
  const totals = projects.map((p) => cell(before.projects[p]?.length ?? 0, after.projects[p]?.length ?? 0));
  console.log(`| **all** | ${totals.join(' | ')} | ${cell(tb, ta)} |`);
}

const [mode, x, y] = process.argv.slice(2);
if (mode === 'snapshot' && x) snapshot(x);
else if (mode === 'compare' && x && y) compare(x, y);
else {
  console.error('usage: findings-table.ts snapshot <out.json> | compare <before.json> <after.json>');
  process.exit(2);
}
