/**
 * Checks that two builds of the CLI print the same thing: `lint <project> --format json --jobs 1` on every corpus
 * project, run from the same folder (paths in the output are relative to it), byte for byte once the time of the
 * run is masked (fixes that create a migration name it after the current second). The candidate runs cold and then
 * warm, from a cache folder of its own.
 *
 *   node --import tsx bench/same-output.ts <reference dist/cli.js> [candidate dist/cli.js (default: this repo's)] [--except-rules id,id]
 *
 * `--except-rules`: for a change that adds rules, whose findings are the one allowed difference: both outputs are
 * compared without those rules' findings (files left with none dropped, the summary counts left out).
 *
 * Build the reference from the commit you start from in its own worktree, so both builds carry the same rules:
 *   git worktree add --detach /tmp/ref HEAD && ln -s "$PWD/node_modules" /tmp/ref/ && (cd /tmp/ref && node esbuild.mjs)
 * Exit 1 when any project differs; the differing outputs are left in a temp folder for diffing.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const CORPUS = resolve(__dirname, '../../shared/corpus');

const pad2 = (n: number) => String(n).padStart(2, '0');

/** The versions a new migration created during [from, to] may carry: `YYYYMMDDHHMMSS` and diesel's `YYYY-MM-DD-HHMMSS`, UTC. */
function stampsBetween(from: number, to: number): string[] {
  const out: string[] = [];
  for (let t = Math.floor(from / 1000) - 1; t <= Math.ceil(to / 1000) + 1; t++) {
    const d = new Date(t * 1000);
    const [y, mo, da, h, mi, se] = [d.getUTCFullYear(), pad2(d.getUTCMonth() + 1), pad2(d.getUTCDate()), pad2(d.getUTCHours()), pad2(d.getUTCMinutes()), pad2(d.getUTCSeconds())];
    out.push(`${y}${mo}${da}${h}${mi}${se}`, `${y}-${mo}-${da}-${h}${mi}${se}`);
  }
  return out;
}

function run(cli: string, project: string, extra: string[] = []): string {
  const started = Date.now();
  let text = runRaw(cli, project, extra);
  for (const stamp of stampsBetween(started, Date.now())) text = text.split(stamp).join('<now>');
  return text;
}

function runRaw(cli: string, project: string, extra: string[]): string {
  try {
    return execFileSync(process.execPath, [cli, 'lint', project, '--format', 'json', '--jobs', '1', ...extra], { encoding: 'utf8', maxBuffer: 1 << 30, cwd: CORPUS });
  } catch (e) {
    // Exit 1 means findings; the output is still the thing compared.
    const err = e as { status?: number; stdout?: string };
    if (err.status === 1 && err.stdout) return err.stdout;
    throw e;
  }
}

const args = process.argv.slice(2);
const exceptAt = args.indexOf('--except-rules');
const except = new Set(exceptAt >= 0 ? (args.splice(exceptAt, 2)[1] ?? '').split(',').filter(Boolean) : []);
const [refArg, candArg] = args;

interface Output { summary?: unknown; files: { findings?: { ruleId: string }[] }[] }

/** The output without the excepted rules' findings, re-serialised the same way for both builds. */
function withoutExcepted(text: string): string {
  if (except.size === 0) return text;
  const out = JSON.parse(text) as Output;
  delete out.summary;
  out.files = out.files.map((f) => ({ ...f, findings: f.findings?.filter((x) => !except.has(x.ruleId)) })).filter((f) => f.findings === undefined || f.findings.length > 0);
  return JSON.stringify(out, null, 2);
}

if (!refArg) {
  process.stderr.write('usage: same-output.ts <reference cli.js> [candidate cli.js]\n');
  process.exit(2);
}
const reference = resolve(refArg);
const candidate = resolve(candArg ?? join(__dirname, '../dist/cli.js'));
const projects = readdirSync(CORPUS).filter((p) => statSync(join(CORPUS, p)).isDirectory()).sort();
const out = mkdtempSync(join(tmpdir(), 'pgvet-same-output-'));
let differing = 0;
// The candidate runs twice with a cache folder of its own, empty at first: cold (it writes the cache), then warm
// (it prints from the cache); both must print what the reference prints.
const cacheDir = join(out, 'candidate-cache');
for (const p of projects) {
  const a = withoutExcepted(run(reference, p));
  const b = withoutExcepted(run(candidate, p, ['--cache-dir', cacheDir]));
  const warm = withoutExcepted(run(candidate, p, ['--cache-dir', cacheDir]));
  const same = a === b && a === warm;
  if (!same) {
    differing++;
    writeFileSync(join(out, `${p}.reference.json`), a);
    writeFileSync(join(out, `${p}.candidate.json`), b);
    writeFileSync(join(out, `${p}.candidate-warm.json`), warm);
  }
  process.stdout.write(`${same ? 'same     ' : 'DIFFERENT'} ${p} (${a.length} bytes, ${(JSON.parse(a) as { files: unknown[] }).files.length} files)\n`);
}
process.stdout.write(differing ? `${differing} of ${projects.length} projects differ; outputs in ${out}\n` : `all ${projects.length} projects identical\n`);
process.exit(differing ? 1 : 0);
