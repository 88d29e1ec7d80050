import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { git, MIGRATIONS, prismaRepoWithBranch } from '../support/git-repo';
import { restamp } from '../../server/src/cli/clock-stamps';

// The CLI's persistent cache (server/src/cli/persistent-cache.ts), on the built CLI: a warm run prints what a cold
// run prints, and each kind of change re-runs what it should. Corpus projects are read in place and copied to a
// temp folder before anything in them is changed.

const CLI = resolve(__dirname, '../../dist/cli.js');
const CORPUS = resolve(__dirname, '../../../shared/corpus');
const SMALL = join(CORPUS, 'umami-software__umami'); // a Prisma history and a folder of loose files: two units
const skip = (!existsSync(CLI) && 'dist/cli.js not built (node esbuild.mjs)') || (!existsSync(CORPUS) && 'corpus not present');

const tmp = mkdtempSync(join(tmpdir(), 'pgvet-cache-test-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
let made = 0;
const freshDir = (name: string) => {
  const dir = join(tmp, `${name}-${made++}`);
  mkdirSync(dir, { recursive: true });
  return dir;
};

const pad2 = (n: number) => String(n).padStart(2, '0');
/** A run's JSON with the names of migrations created during it made `<now>` (as bench/same-output.ts does). */
function maskNow(text: string, from: number, to: number): string {
  for (let t = Math.floor(from / 1000) - 1; t <= Math.ceil(to / 1000) + 1; t++) {
    const d = new Date(t * 1000);
    const [y, mo, da, h, mi, se] = [d.getUTCFullYear(), pad2(d.getUTCMonth() + 1), pad2(d.getUTCDate()), pad2(d.getUTCHours()), pad2(d.getUTCMinutes()), pad2(d.getUTCSeconds())];
    for (const stamp of [`${y}${mo}${da}${h}${mi}${se}`, `${y}-${mo}-${da}-${h}${mi}${se}`]) text = text.split(stamp).join('<now>');
  }
  return text;
}

interface Run {
  json: string;
  stderr: string;
  /** From the --cache-stats line; undefined when the cache was off. */
  stats?: { fromCache: number; units: number; written: number };
}

function lint(target: string, opts: { cwd: string; cacheDir?: string; extra?: string[]; cli?: string }): Run {
  const cache = opts.cacheDir ? ['--cache-dir', opts.cacheDir] : [];
  const started = Date.now();
  const r = spawnSync(process.execPath, [opts.cli ?? CLI, 'lint', target, '--format', 'json', '--cache-stats', ...cache, ...(opts.extra ?? [])], { cwd: opts.cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
  assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
  const m = /(\d+) of (\d+) work units from the cache, (\d+) written/.exec(r.stderr);
  return { json: maskNow(r.stdout, started, Date.now()), stderr: r.stderr, stats: m ? { fromCache: +m[1], units: +m[2], written: +m[3] } : undefined };
}

/** What the run prints with the cache off: a cold run. */
const cold = (target: string, cwd: string, extra: string[] = []) => lint(target, { cwd, extra: ['--no-cache', ...extra] });

/** An entry's body (its second line) with every finding's message replaced; the header kept, or its checksum made to match. */
function tamper(file: string, message: string, checksum: 'keep' | 'match'): void {
  const text = readFileSync(file, 'utf8');
  const newline = text.indexOf('\n');
  const parsed = JSON.parse(text.slice(newline + 1)) as { result: { reports: { findings: { message: string }[] }[] } };
  for (const r of parsed.result.reports) for (const f of r.findings) f.message = message;
  const body = JSON.stringify(parsed);
  const header = JSON.parse(text.slice(0, newline));
  if (checksum === 'match') header.checksum = createHash('sha256').update(body).digest('hex');
  writeFileSync(file, `${JSON.stringify(header)}\n${body}`);
}

const entries = (cacheDir: string): string[] =>
  (readdirSync(cacheDir, { recursive: true, withFileTypes: true }) as { name: string; parentPath: string; isFile(): boolean }[]).filter((e) => e.isFile() && e.name.endsWith('.json')).map((e) => join(e.parentPath, e.name));
const kindOf = (entry: string): string => (JSON.parse(readFileSync(entry, 'utf8').split('\n', 1)[0]) as { kind: string }).kind;
/** The entries of work units; those of whole runs (printed without loading the engine) are the others. */
const unitEntries = (cacheDir: string) => entries(cacheDir).filter((e) => kindOf(e) === 'unit');
const runEntries = (cacheDir: string) => entries(cacheDir).filter((e) => kindOf(e) === 'run');

/** A copy of the small project with a pgvet.json at its top, a cwd and a cache folder, and a warm cache. */
function warmCopy(): { project: string; cwd: string; cacheDir: string } {
  const project = freshDir('project');
  cpSync(SMALL, project, { recursive: true });
  writeFileSync(join(project, 'pgvet.json'), JSON.stringify({ rules: {} }));
  const cwd = freshDir('cwd');
  const cacheDir = join(freshDir('cache'), 'pgvet');
  const first = lint(project, { cwd, cacheDir });
  assert.deepEqual(first.stats, { fromCache: 0, units: 2, written: 2 }, first.stderr);
  assert.equal(lint(project, { cwd, cacheDir }).stats?.fromCache, 2);
  return { project, cwd, cacheDir };
}

test('every corpus project: the warm run prints what the cold run printed, every unit from the cache', { skip }, () => {
  const projects = readdirSync(CORPUS).filter((p) => statSync(join(CORPUS, p)).isDirectory());
  assert.ok(projects.length >= 10, 'the corpus has its projects');
  for (const p of projects) {
    const cwd = freshDir('cwd');
    const cacheDir = freshDir('cache');
    const first = lint(join(CORPUS, p), { cwd, cacheDir });
    const again = lint(join(CORPUS, p), { cwd, cacheDir });
    assert.ok(first.stats && again.stats, first.stderr);
    assert.equal(first.stats.fromCache, 0, `${p}: nothing cached before the first run`);
    assert.equal(first.stats.written, first.stats.units, `${p}: every unit kept`);
    assert.equal(again.stats.fromCache, again.stats.units, `${p}: every unit from the cache`);
    assert.equal(again.json, first.json, `${p}: the warm output`);
    assert.ok(JSON.parse(first.json).files.length > 0, p);
  }
});

test('worker threads record what their units read: a --jobs 2 run warms the cache for an in-process one', { skip }, () => {
  const project = join(CORPUS, 'supabase__storage'); // 92 files: workers start above 64
  const cwd = freshDir('cwd');
  const cacheDir = freshDir('cache');
  const first = lint(project, { cwd, cacheDir, extra: ['--jobs', '2'] });
  const again = lint(project, { cwd, cacheDir, extra: ['--jobs', '1'] });
  assert.equal(again.stats?.fromCache, first.stats?.written);
  assert.equal(again.stats?.fromCache, again.stats?.units);
  assert.equal(again.json, first.json);
});

test('a changed migration re-runs its history only, and the output is a cold run\'s', { skip }, () => {
  const { project, cwd, cacheDir } = warmCopy();
  const migration = join(project, 'prisma/migrations/03_metric_performance_index/migration.sql');
  appendFileSync(migration, '\nCREATE INDEX cache_test_idx ON website (created_at);\n');
  const run = lint(project, { cwd, cacheDir });
  assert.deepEqual(run.stats, { fromCache: 1, units: 2, written: 1 });
  assert.equal(run.json, cold(project, cwd).json);
  assert.match(run.json, /cache_test_idx/, 'the new statement is linted');
});

test('a changed pgvet.json re-runs the units under it', { skip }, () => {
  const { project, cwd, cacheDir } = warmCopy();
  const before = lint(project, { cwd, cacheDir }).json;
  writeFileSync(join(project, 'pgvet.json'), JSON.stringify({ rules: { 'require-concurrent-index-creation': 'off', 'destructive-change': 'off' } }));
  const run = lint(project, { cwd, cacheDir });
  assert.deepEqual(run.stats, { fromCache: 0, units: 2, written: 2 });
  assert.equal(run.json, cold(project, cwd).json);
  assert.notEqual(run.json, before, 'the rules turned off change the output');
});

test('a new migration added to a history re-runs it', { skip }, () => {
  const { project, cwd, cacheDir } = warmCopy();
  mkdirSync(join(project, 'prisma/migrations/99_cache_test'));
  writeFileSync(join(project, 'prisma/migrations/99_cache_test/migration.sql'), 'ALTER TABLE website ADD COLUMN cache_test integer NOT NULL;\n');
  const run = lint(project, { cwd, cacheDir });
  assert.deepEqual(run.stats, { fromCache: 1, units: 2, written: 1 });
  assert.equal(run.json, cold(project, cwd).json);
  assert.match(run.json, /99_cache_test/);
});

test('another build (a copy of the bundle with one byte more) re-runs everything; the same bytes elsewhere do not', { skip }, () => {
  const { project, cwd, cacheDir } = warmCopy();
  const dist = freshDir('dist');
  for (const f of ['cli.js', 'cli-engine.js', 'lint-worker.js', 'libpg-query.wasm']) copyFileSync(join(resolve(CLI, '..'), f), join(dist, f));
  const copy = join(dist, 'cli.js');
  assert.equal(lint(project, { cwd, cacheDir, cli: copy }).stats?.fromCache, 2, 'the build is known by its bytes, not its path');
  appendFileSync(copy, '\n// another build\n');
  const run = lint(project, { cwd, cacheDir, cli: copy });
  assert.deepEqual(run.stats, { fromCache: 0, units: 2, written: 2 });
  assert.equal(run.json, cold(project, cwd).json);
});

test('a truncated, garbled, foreign or tampered cache entry is ignored and rewritten', { skip }, () => {
  const { project, cwd, cacheDir } = warmCopy();
  const expected = cold(project, cwd).json;
  const spoil: [string, (file: string) => void][] = [
    ['truncated', (f) => truncateSync(f, Math.floor(statSync(f).size / 2))],
    ['garbage', (f) => writeFileSync(f, 'not a cache entry \u0000\u00ff')],
    ['another format', (f) => writeFileSync(f, `${JSON.stringify({ pgvetCache: 0, key: 'x', checksum: 'y' })}\n${JSON.stringify({ inputs: {}, result: { reports: [], problems: [] } })}`)],
    ['a body that does not match its checksum', (f) => (kindOf(f) === 'unit' ? tamper(f, 'tampered', 'keep') : appendFileSync(f, 'tampered'))],
    ['empty', (f) => writeFileSync(f, '')],
  ];
  for (const [what, damage] of spoil) {
    for (const f of entries(cacheDir)) damage(f);
    const run = lint(project, { cwd, cacheDir });
    assert.deepEqual(run.stats, { fromCache: 0, units: 2, written: 2 }, what);
    assert.equal(run.json, expected, what);
    assert.equal(lint(project, { cwd, cacheDir }).stats?.fromCache, 2, `${what}: rewritten`);
  }
});

test('--no-cache neither reads nor writes the cache (node_modules/.cache/pgvet by default)', { skip }, () => {
  const { project } = warmCopy();
  const cwd = freshDir('cwd');
  mkdirSync(join(cwd, 'node_modules'));
  const cacheDir = join(cwd, 'node_modules/.cache/pgvet');
  const expected = cold(project, cwd).json;
  assert.ok(!existsSync(cacheDir), '--no-cache wrote nothing');
  assert.equal(lint(project, { cwd }).stats?.written, 2, 'the default folder');
  // An entry changed with a matching checksum is believed when the cache is on: --no-cache must not read it.
  for (const f of unitEntries(cacheDir)) tamper(f, 'from the cache', 'match');
  for (const f of runEntries(cacheDir)) rmSync(f);
  const listed = entries(cacheDir).map((f) => `${f} ${statSync(f).mtimeMs}`);
  const off = lint(project, { cwd, extra: ['--no-cache'] });
  assert.equal(off.stats, undefined);
  assert.equal(off.json, expected);
  assert.deepEqual(entries(cacheDir).map((f) => `${f} ${statSync(f).mtimeMs}`), listed, 'nothing written');
  const on = lint(project, { cwd });
  assert.match(on.json, /from the cache/, `the cache on reads the entries --no-cache left alone: ${on.stderr}`);
});

test('--since: the commit the ref names is part of the key; moving the ref re-runs', { skip: !existsSync(CLI) && 'dist/cli.js not built' }, () => {
  const root = prismaRepoWithBranch('pgvet-cache-since-');
  try {
    const cacheDir = freshDir('cache');
    const first = lint(MIGRATIONS, { cwd: root, cacheDir, extra: ['--since', 'main'] });
    const again = lint(MIGRATIONS, { cwd: root, cacheDir, extra: ['--since', 'main'] });
    assert.deepEqual(again.stats, { fromCache: 1, units: 1, written: 0 });
    assert.equal(again.json, first.json);
    // main now holds the branch's migrations: all applied, so the statement findings go.
    git(root, 'branch', '-f', 'main', 'feature');
    const moved = lint(MIGRATIONS, { cwd: root, cacheDir, extra: ['--since', 'main'] });
    assert.deepEqual(moved.stats, { fromCache: 0, units: 1, written: 1 });
    assert.equal(moved.json, cold(MIGRATIONS, root, ['--since', 'main']).json);
    assert.notEqual(moved.json, first.json);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a history with versions after now is not kept: its new migrations are named after its last one, not the clock', { skip: !existsSync(CLI) && 'dist/cli.js not built' }, () => {
  const root = freshDir('future');
  const migrations = join(root, 'prisma/migrations');
  const files: Record<string, string> = {
    'migration_lock.toml': 'provider = "postgresql"\n',
    '29990101000000_init/migration.sql': 'CREATE TABLE "a" ("id" INTEGER NOT NULL, CONSTRAINT "a_pkey" PRIMARY KEY ("id"));\nCREATE TABLE "b" ("id" INTEGER NOT NULL, "a_id" INTEGER NOT NULL);\n',
    '29990102000000_fk/migration.sql': 'ALTER TABLE "b" ADD CONSTRAINT "b_a_id_fkey" FOREIGN KEY ("a_id") REFERENCES "a"("id");\n',
  };
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(migrations, rel, '..'), { recursive: true });
    writeFileSync(join(migrations, rel), text);
  }
  const cacheDir = freshDir('cache');
  const run = lint(migrations, { cwd: root, cacheDir });
  assert.match(run.json, /29990102000001_validate_b_a_id_fkey/, 'the fix names its migration after the last one');
  assert.deepEqual(run.stats, { fromCache: 0, units: 1, written: 0 });
  // The same history dated in the past is kept: its fix is named after the clock, and restamped when reused.
  for (const [from, to] of [['29990101000000_init', '20240101000000_init'], ['29990102000000_fk', '20240102000000_fk']]) cpSync(join(migrations, from), join(migrations, to), { recursive: true });
  for (const from of ['29990101000000_init', '29990102000000_fk']) rmSync(join(migrations, from), { recursive: true });
  assert.equal(lint(migrations, { cwd: root, cacheDir }).stats?.written, 1);
  // Its entry made a day old (as if written yesterday): the reused fix is named after today, as a cold run names it.
  // The unit's entry is the one tested here: the run's (which would answer first) goes.
  for (const f of runEntries(cacheDir)) rmSync(f);
  const [entry] = unitEntries(cacheDir);
  const text = readFileSync(entry, 'utf8');
  const newline = text.indexOf('\n');
  const parsed = JSON.parse(text.slice(newline + 1)) as { clock: number; result: unknown };
  const yesterday = parsed.clock - 86_400_000;
  const body = JSON.stringify({ ...parsed, clock: yesterday, result: JSON.parse(restamp(JSON.stringify(parsed.result), parsed.clock, yesterday)) });
  writeFileSync(entry, `${JSON.stringify({ ...JSON.parse(text.slice(0, newline)), checksum: createHash('sha256').update(body).digest('hex') })}\n${body}`);
  const reused = lint(migrations, { cwd: root, cacheDir });
  assert.equal(reused.stats?.fromCache, 1);
  assert.match(reused.json, /<now>_validate_b_a_id_fkey/);
  assert.equal(reused.json, cold(migrations, root).json);
  // The run it kept names the fix after the time of the run that prints it, too.
  assert.equal(runEntries(cacheDir).length, 1);
  const fromRun = lint(migrations, { cwd: root, cacheDir });
  assert.equal(fromRun.json, cold(migrations, root).json);
});

test('a run that changed nothing is printed from its entry without loading the engine; any change loads it', { skip }, () => {
  const { project, cwd, cacheDir } = warmCopy();
  // A preload that says, at exit, whether the engine's bundle was loaded.
  const probe = join(freshDir('probe'), 'probe.js');
  writeFileSync(probe, "process.on('exit', () => process.stderr.write(`engine loaded: ${Object.keys(require.cache).some((m) => m.endsWith('cli-engine.js'))}\\n`));\n");
  const run = () => spawnSync(process.execPath, ['-r', probe, CLI, 'lint', project, '--format', 'json', '--cache-dir', cacheDir], { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
  const expected = cold(project, cwd).json;
  const kept = run();
  assert.match(kept.stderr, /engine loaded: false/);
  assert.equal(kept.stdout, expected);
  assert.equal(kept.status, 1, 'the exit code of the run kept');
  // The baseline is read by the run, not by a unit: a new one is seen.
  writeFileSync(join(project, 'pgvet-baseline.json'), JSON.stringify({ version: 1, entries: [] }));
  const changed = run();
  assert.match(changed.stderr, /engine loaded: true/);
  assert.equal(changed.stdout, lint(project, { cwd, extra: ['--no-cache'] }).json);
});

test('loose files: adding one re-runs its own batch only', { skip }, () => {
  const folder = freshDir('loose');
  for (let i = 0; i < 100; i++) writeFileSync(join(folder, `f${i}.sql`), `CREATE TABLE t${i} (id integer);\nCREATE INDEX t${i}_idx ON t${i} (id);\n`);
  const cwd = freshDir('cwd');
  const cacheDir = freshDir('cache');
  const first = lint(folder, { cwd, cacheDir });
  assert.deepEqual(first.stats, { fromCache: 0, units: 4, written: 4 }, 'about 32 files a batch');
  writeFileSync(join(folder, 'added.sql'), 'CREATE INDEX added_idx ON t1 (id);\n');
  const run = lint(folder, { cwd, cacheDir });
  assert.deepEqual(run.stats, { fromCache: 3, units: 4, written: 1 });
  assert.equal(run.json, cold(folder, cwd).json);
  assert.match(run.json, /added\.sql/);
});

test('pruning: entries unused for 30 days go, once a day, when a run writes; temporary leftovers too; then the oldest past the size cap', { skip }, () => {
  const { project, cwd, cacheDir } = warmCopy();
  // Entries of another run (one file of the project), then everything made 40 days old, the last prune 2 days ago.
  const one = join(project, 'prisma/migrations/01_init/migration.sql');
  assert.equal(lint(one, { cwd, cacheDir }).stats?.written, 1);
  const before = new Set(entries(cacheDir));
  assert.equal(before.size, 5, 'two runs: 3 units and 2 runs');
  const leftover = join(dirname(entries(cacheDir)[0]), 'x.json.123.tmp');
  writeFileSync(leftover, '');
  const days = (n: number) => (Date.now() - n * 86_400_000) / 1000;
  for (const f of [...before, leftover]) utimesSync(f, days(40), days(40));
  utimesSync(join(cacheDir, 'last-prune'), days(2), days(2));
  // A change, so the run writes (and prunes): it reads or rewrites its own units and run, the other run's go.
  appendFileSync(join(project, 'prisma/migrations/03_metric_performance_index/migration.sql'), '\nCREATE INDEX prune_test_idx ON website (created_at);\n');
  const run = lint(project, { cwd, cacheDir });
  assert.deepEqual(run.stats, { fromCache: 1, units: 2, written: 1 });
  const after = entries(cacheDir);
  assert.equal(after.length, 3, 'the one-file run\'s unit and run entries removed');
  assert.ok(after.every((f) => before.has(f)), 'the kept ones are this run\'s');
  assert.ok(!existsSync(leftover), 'an old temporary file removed');
  assert.equal(lint(project, { cwd, cacheDir }).stats?.fromCache, 2, 'what is kept still answers');
  // Past the size cap, least recently used first: the older run's entries go before this one's.
  assert.equal(lint(one, { cwd, cacheDir }).stats?.written, 1);
  const others = entries(cacheDir).filter((f) => !after.includes(f));
  for (const f of others) utimesSync(f, days(1), days(1));
  utimesSync(join(cacheDir, 'last-prune'), days(2), days(2));
  // A cap that this run's entries fit under, with less room to spare than either of the others takes.
  const size = after.reduce((n, f) => n + statSync(f).size, 0) + Math.min(...others.map((f) => statSync(f).size)) - 1;
  appendFileSync(join(project, 'prisma/migrations/03_metric_performance_index/migration.sql'), '\n-- again\n');
  const capped = spawnSync(process.execPath, [CLI, 'lint', project, '--format', 'json', '--cache-dir', cacheDir], { cwd, encoding: 'utf8', env: { ...process.env, PGVET_CACHE_MAX_BYTES: String(size) } });
  assert.ok(capped.status === 0 || capped.status === 1, capped.stderr);
  assert.deepEqual(entries(cacheDir).sort(), after.sort(), 'the one-file run\'s entries, used least recently, removed');
});
