import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { LspClient } from '../support/lsp-client';
import { filesUnder } from '../support/files-under';

/**
 * A seeded fuzzer: statements from the corpus, mutated, fed to the real language server over stdio.
 * Same seed, same inputs: a failure names the document and version, and the text is written to a file to replay.
 */
const SEED = Number(process.env.PGVET_FUZZ_SEED ?? 0x5eed);
const CORPUS = resolve(__dirname, '../../../shared/corpus');
const DOCUMENTS = 4;
const STATEMENTS_PER_VERSION = 100;
const VERSIONS_PER_DOCUMENT = 26; // 4 × 26 × 100 = 10,400 mutated statements
/** A version not answered within this long is a hang (the slowest input takes a few seconds). */
const HANG_MS = Number(process.env.PGVET_FUZZ_HANG_MS ?? 300_000);

/** mulberry32: small, fast, deterministic. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return { next, int, pick: <T>(xs: readonly T[]): T => xs[int(xs.length)] };
}
type Rng = ReturnType<typeof prng>;

/** Statements from a deterministic sample of corpus files, split naively on `;` at the end of a line. */
function corpusStatements(rng: Rng, files: number): string[] {
  const all = filesUnder(CORPUS, /\.sql$/);
  const out: string[] = [];
  for (let k = 0; k < files; k++) {
    const text = readFileSync(rng.pick(all), 'utf8');
    for (const piece of text.split(/;[ \t]*\r?\n/)) {
      const s = piece.trim();
      if (s.length > 0 && s.length <= 4000) out.push(s);
    }
  }
  return out;
}

const TOKENS = [
  "'", '"', '$$', '$fn$', '$1', '/*', '*/', '--', '\\', '\\.', '\\copy', '\u0000', '\uD800', '\uDC00', '\uDBFF\uDFFF', '😀', '👩‍👩‍👧', 'é',
  '(', ')', '[', ']', ';', ';;', '\r\n', '\r', '\n', ':x', ":'v'", '::', '{{', '}}', "E'\\", "U&'\\", 'BEGIN ATOMIC', 'END', 'CASE',
  '-- +goose StatementBegin\n', '-- +goose StatementEnd\n', '--> statement-breakpoint\n', '-- pgvet-ignore\n', // (no pgvet-ignore-file: it would hide the sentinel)
  'COPY t FROM stdin;\n', 'CONCURRENTLY', 'NOT VALID', 'ARRAY[', '\t', '\uFEFF', '\u2028',
];

const SEPARATORS = [';\n', ';\n', ';\n', ';', '\n', ';\r\n', ' ; ;\n', '\n-- +goose StatementEnd\n', '\n--> statement-breakpoint\n', ';\n/* */\n'];

function mutate(s: string, rng: Rng, pool: string[]): string {
  const ops = 1 + rng.int(3);
  for (let k = 0; k < ops; k++) {
    const at = rng.int(s.length + 1);
    switch (rng.int(11)) {
      case 0: // truncate
        s = s.slice(0, at);
        break;
      case 1: // insert a token
      case 2:
        s = s.slice(0, at) + rng.pick(TOKENS) + s.slice(at);
        break;
      case 3: // insert a random UTF-16 code unit (lone surrogates, NUL and controls included)
        s = s.slice(0, at) + String.fromCharCode(rng.int(0x10000)) + s.slice(at);
        break;
      case 4: // delete a range
        s = s.slice(0, at) + s.slice(at + 1 + rng.int(20));
        break;
      case 5: { // duplicate a range
        const len = 1 + rng.int(40);
        s = s.slice(0, at + len) + s.slice(at, at + len) + s.slice(at);
        break;
      }
      case 6: // replace one character with a random byte-sized one
        s = s.slice(0, at) + String.fromCharCode(rng.int(256)) + s.slice(at + 1);
        break;
      case 7: // nest in parentheses
        s = `SELECT ${'('.repeat(1 + rng.int(200))}${s}${')'.repeat(rng.int(201))}`;
        break;
      case 8: // CRLF or CR line endings
        s = s.replace(/\n/g, rng.next() < 0.5 ? '\r\n' : '\r');
        break;
      case 9: // splice with another statement
        s = s.slice(0, at) + rng.pick(pool).slice(rng.int(50));
        break;
      default: // delete one character (may split a surrogate pair)
        s = s.slice(0, at) + s.slice(at + 1);
    }
  }
  return s;
}

/** Always the first statement of a fuzz document: its diagnostic shows the document really was linted. */
const SENTINEL = 'CREATE INDEX fuzz_sentinel_idx ON fuzz_sentinel_table (a);\n';

function specialInputs(pool: string[]): { name: string; text: string }[] {
  const fiveMb: string[] = [];
  let size = 0;
  for (let k = 0; size < 5 * 1024 * 1024; k++) {
    const s = pool[k % pool.length] + ';\n';
    fiveMb.push(s);
    size += s.length;
  }
  const n = 10_000;
  return [
    { name: 'empty', text: '' },
    { name: '10,000 levels of parentheses', text: '('.repeat(n) + ')'.repeat(n) },
    { name: 'SELECT with 10,000 levels of parentheses', text: `SELECT ${'('.repeat(n)}1${')'.repeat(n)};` },
    { name: 'SELECT with 100,000 unclosed parentheses', text: `SELECT ${'('.repeat(100_000)};` },
    { name: 'ARRAY with 10,000 levels', text: `SELECT ARRAY${'['.repeat(n)}1${']'.repeat(n)};` },
    { name: '10,000 nested block comments', text: `${'/*'.repeat(n)} x ${'*/'.repeat(n)} SELECT 1;` },
    { name: '10,000 nested unclosed block comments', text: `SELECT 1; ${'/*'.repeat(n)}` },
    { name: 'CASE nested 2,000 deep', text: `SELECT ${'CASE WHEN true THEN '.repeat(2000)}1${' END'.repeat(2000)};` },
    { name: 'BEGIN ATOMIC with 10,000 CASE and no END', text: `CREATE FUNCTION f() RETURNS int BEGIN ATOMIC ${'CASE '.repeat(n)}; SELECT 1;` },
    { name: 'only semicolons (1 MB)', text: ';'.repeat(1024 * 1024) },
    { name: 'only semicolons and newlines', text: ';\n'.repeat(100_000) },
    { name: '5 MB of corpus statements', text: fiveMb.join('') },
    { name: '1 MB of corpus statements, CRLF', text: fiveMb.join('').slice(0, 1024 * 1024).replace(/\n/g, '\r\n') },
    { name: 'CR-only line endings', text: fiveMb.join('').slice(0, 100_000).replace(/\n/g, '\r') },
    { name: 'unterminated quote over 1 MB', text: `SELECT '${'x'.repeat(1024 * 1024)}` },
    { name: 'unterminated dollar quote over 1 MB', text: `DO $$ ${'BEGIN '.repeat(200_000)}` },
    { name: '100,000 psql meta-commands', text: '\\set x 1\n'.repeat(100_000) },
    { name: 'COPY FROM stdin without the end marker', text: `COPY t FROM stdin;\n${'1\t2\n'.repeat(100_000)}` },
    { name: 'only NUL', text: '\u0000'.repeat(10_000) },
    { name: 'only lone surrogates', text: '\uD800\uDC00\uDC00\uD800'.repeat(10_000) },
    { name: 'emoji in identifiers and strings', text: `CREATE TABLE "😀" ("👩‍👩‍👧" int);\nSELECT '${'😀'.repeat(10_000)}' FRM x;\nCREATE INDEX i ON "😀" ("👩‍👩‍👧");\n` },
    { name: '50,000 statements', text: 'CREATE INDEX i ON t (a);\n'.repeat(50_000) },
    { name: 'one line of 1 MB', text: `SELECT ${'1 + '.repeat(250_000)}1;` },
  ];
}

describe('fuzzing the language server', { timeout: 30 * 60_000 }, () => {
  let client: LspClient;
  let dir: string;
  const errors: string[] = [];
  let answered = 0;
  let statementsSent = 0;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pgvet-fuzz-'));
    mkdirSync(join(dir, 'migrations'));
    client = await LspClient.start({ rootUri: pathToFileURL(dir).toString() });
    // The client ignores log messages; keep the errors (a rule that threw, a file that could not be linted).
    client.connection.onNotification('window/logMessage', (p: { type: number; message: string }) => {
      if (p.type === 1) errors.push(p.message);
    });
  });
  after(async () => {
    await client?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Diagnostics for exactly this version; rejects if the server exits or does not answer (the text is saved to replay). */
  function answer(uri: string, version: number, what: string): Promise<PublishDiagnosticsParams> {
    return new Promise((resolvePromise, reject) => {
      const save = () => {
        const file = join(tmpdir(), `pgvet-fuzz-${SEED}-${version}-${uri.replace(/\W+/g, '_').slice(-40)}.sql`);
        writeFileSync(file, client.texts.get(uri)!.text);
        return file;
      };
      const onExit = (code: number | null) => {
        clearTimeout(timer);
        reject(new Error(`server exited (${code}) on ${what}; input saved to ${save()}\nstderr:\n${client.stderr.slice(-4000)}`));
      };
      const timer = setTimeout(() => {
        client.proc.off('exit', onExit);
        reject(new Error(`no diagnostics within ${HANG_MS / 1000} s for ${what}; input saved to ${save()}\nserver errors:\n${errors.join('\n').slice(-4000)}`));
      }, HANG_MS);
      if (client.exited !== undefined) return onExit(client.exited);
      client.proc.once('exit', onExit);
      client.diagnosticsFor(uri, version).then((p) => {
        clearTimeout(timer);
        client.proc.off('exit', onExit);
        answered++;
        resolvePromise(p);
      });
    });
  }

  test(`${DOCUMENTS * VERSIONS_PER_DOCUMENT * STATEMENTS_PER_VERSION} mutated corpus statements, ${STATEMENTS_PER_VERSION} per version, on ${DOCUMENTS} documents at once`, async () => {
    const rng = prng(SEED);
    const pool = corpusStatements(rng, 300);
    assert.ok(pool.length > 1000, `${pool.length} corpus statements`);
    const names = ['fuzz.sql', 'migrations/20240101000000_fuzz.sql', 'prisma/migrations/20240101000000_fuzz/migration.sql', 'db/migrate/0001_fuzz.up.sql'];
    // Every document's inputs come from its own generator, so the inputs do not depend on the order of the answers.
    let stop = false; // one document failing stops the others (they would otherwise keep the server busy)
    await Promise.all(
      Array.from({ length: DOCUMENTS }, async (_, d) => {
       try {
        const docRng = prng(SEED + 1 + d);
        const path = join(dir, names[d % names.length]);
        mkdirSync(join(path, '..'), { recursive: true });
        const uri = pathToFileURL(path).toString();
        let version = 0;
        for (let v = 0; v < VERSIONS_PER_DOCUMENT && !stop; v++) {
          let text = SENTINEL;
          for (let k = 0; k < STATEMENTS_PER_VERSION; k++) text += mutate(docRng.pick(pool), docRng, pool) + docRng.pick(SEPARATORS);
          statementsSent += STATEMENTS_PER_VERSION;
          if (v === 0) {
            await client.open(uri, text);
            version = 1;
          } else {
            version = await client.change(uri, text);
          }
          const { diagnostics } = await answer(uri, version, `document ${d} version ${version}`);
          const sentinel = diagnostics.filter((x) => x.code === 'require-concurrent-index-creation' && x.range.start.line === 0 && x.range.start.character === 0);
          if (sentinel.length !== 1) {
            const file = join(tmpdir(), `pgvet-fuzz-${SEED}-${d}-${version}.sql`);
            writeFileSync(file, text);
            assert.fail(`document ${d} version ${version}: the first statement was not linted (input saved to ${file}; diagnostics on line 0: ${JSON.stringify(diagnostics.filter((x) => x.range.start.line === 0).map((x) => x.code))})`);
          }
        }
       } catch (e) {
        stop = true;
        throw e;
       }
      }),
    );
    assert.ok(statementsSent >= 10_000);
    assert.equal(answered, DOCUMENTS * VERSIONS_PER_DOCUMENT);
  });

  test('bursts of edits: the last version of each burst is answered', async () => {
    const rng = prng(SEED + 100);
    const pool = corpusStatements(rng, 20);
    const uri = pathToFileURL(join(dir, 'burst.sql')).toString();
    await client.open(uri, SENTINEL);
    await answer(uri, 1, 'burst document version 1');
    for (let burst = 0; burst < 20; burst++) {
      let last = 0;
      for (let k = 0; k < 10; k++) last = await client.change(uri, SENTINEL + mutate(rng.pick(pool), rng, pool));
      const { diagnostics } = await answer(uri, last, `burst ${burst}, version ${last}`);
      assert.ok(diagnostics.some((x) => x.code === 'require-concurrent-index-creation' && x.range.start.line === 0));
    }
  });

  test('pathological documents: deep nesting, 5 MB, only semicolons, CRLF, NUL, lone surrogates', async () => {
    const pool = corpusStatements(prng(SEED + 200), 300);
    const uri = pathToFileURL(join(dir, 'special.sql')).toString();
    await client.open(uri, SENTINEL);
    await answer(uri, 1, 'special document version 1');
    for (const { name, text } of specialInputs(pool)) {
      const version = await client.change(uri, text);
      const started = process.hrtime.bigint();
      await answer(uri, version, `"${name}"`);
      // Measured, not asserted: the slowest inputs are worth knowing about.
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      console.log(`# input "${name}" (${text.length} UTF-16 units): answered in ${Math.round(ms)} ms`);
    }
  });

  test('afterwards the server is alive, logged no failure, and still lints a known-good document right', async () => {
    const uri = pathToFileURL(join(dir, 'known-good.sql')).toString();
    await client.open(uri, 'CREATE INDEX i ON t (a);\n');
    const { diagnostics } = await answer(uri, 1, 'the known-good document');
    assert.deepEqual(diagnostics.map((x) => [x.code, x.range.start.line, x.range.start.character]), [['require-concurrent-index-creation', 0, 0]]);
    assert.equal(client.exited, undefined, 'the server is still running');
    assert.deepEqual(errors, [], 'no rule failed and no document failed to lint');
  });
});
