import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { parsePrismaFile } from '../../core/src/parse/prisma';
import { initParser, parseSqlFile } from '../../core/src/parse/sql/parser';

const ROOT = path.resolve(__dirname, '../..');

interface Snippet {
  prefix: string;
  description: string;
  body: string[];
}

function loadSnippets(file: string): [string, Snippet][] {
  return Object.entries(JSON.parse(readFileSync(path.join(ROOT, file), 'utf8')) as Record<string, Snippet>);
}

/**
 * The text VS Code inserts when every placeholder keeps its default: `${1:x}` → x (nested ones too),
 * `${1|a,b|}` → a, a mirror `$1`/`${1}` → tabstop 1's default, `$0` and unknown variables → ''.
 */
function expandSnippet(body: string): string {
  const defaults = new Map<string, string>();
  const resolve = (text: string, collect: boolean): string => {
    let out = '';
    let i = 0;
    const readUntilClose = (from: number): [string, number] => {
      // Returns the raw inner text up to the matching `}` (escapes and nested `${` respected).
      let depth = 0;
      let j = from;
      for (; j < text.length; j++) {
        const c = text[j];
        if (c === '\\') { j++; continue; }
        if (c === '$' && text[j + 1] === '{') { depth++; j++; continue; }
        if (c === '}') {
          if (depth === 0) break;
          depth--;
        }
      }
      assert.ok(j < text.length, `unclosed \${ in snippet body: ${text}`);
      return [text.slice(from, j), j + 1];
    };
    while (i < text.length) {
      const c = text[i];
      if (c === '\\' && i + 1 < text.length && '$}\\'.includes(text[i + 1])) {
        out += text[i + 1];
        i += 2;
      } else if (c === '$' && /[0-9A-Za-z_]/.test(text[i + 1] ?? '')) {
        const name = /^[0-9]+|^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1))![0];
        out += collect ? '' : (defaults.get(name) ?? '');
        i += 1 + name.length;
      } else if (c === '$' && text[i + 1] === '{') {
        const [inner, next] = readUntilClose(i + 2);
        i = next;
        const m = /^([0-9]+|[A-Za-z_][A-Za-z0-9_]*)(?::([\s\S]*)|\|([\s\S]*)\||)$/.exec(inner);
        assert.ok(m, `unsupported snippet construct \${${inner}}`);
        const [, name, placeholder, choices] = m;
        let value: string | undefined;
        if (placeholder !== undefined) value = resolve(placeholder, collect);
        else if (choices !== undefined) value = choices.split(/(?<!\\),/)[0].replace(/\\([,|\\])/g, '$1');
        if (value !== undefined && !defaults.has(name)) defaults.set(name, value);
        out += value ?? (collect ? '' : (defaults.get(name) ?? ''));
      } else {
        out += c;
        i++;
      }
    }
    return out;
  };
  resolve(body, true); // first pass: learn each tabstop's default, wherever it is defined
  return resolve(body, false);
}

/** Braces, brackets and parentheses balance outside strings and // comments. */
function unbalancedBrackets(text: string): string | undefined {
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  const stack: string[] = [];
  for (const line of text.split('\n')) {
    let inString = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (inString) {
        if (c === '\\') i++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === '/' && line[i + 1] === '/') break;
      else if ('([{'.includes(c)) stack.push(c);
      else if (c in pairs && stack.pop() !== pairs[c]) return `unexpected ${c} in: ${line}`;
    }
    if (inString) return `unterminated string in: ${line}`;
  }
  return stack.length > 0 ? `unclosed ${stack.join('')}` : undefined;
}

describe('snippet expansion', () => {
  test('placeholders, nesting, choices, mirrors, escapes and $0', () => {
    assert.equal(expandSnippet('a ${1:x ${2:y}} $2 ${1} $1 $0 \\$3 ${3|p,q|}:$3'), 'a x y y x y x y  $3 p:p');
    assert.equal(expandSnippet('$1 then ${1:late}'), 'late then late');
    assert.equal(expandSnippet('${TM_FILENAME:f.sql} $UNKNOWN'), 'f.sql ');
  });
});

describe('contributed snippets', () => {
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const contributed: { language: string; path: string }[] = manifest.contributes.snippets;

  test('package.json contributes snippets/sql.json for sql and snippets/prisma.json for prisma', () => {
    assert.deepEqual(
      contributed.map((s) => [s.language, path.normalize(s.path)]),
      [['sql', path.normalize('snippets/sql.json')], ['prisma', path.normalize('snippets/prisma.json')]],
    );
    for (const s of contributed) assert.ok(existsSync(path.join(ROOT, s.path)), `${s.path} exists`);
  });

  test('every snippet has a unique pgvet- prefix and a description', () => {
    const prefixes = new Set<string>();
    for (const s of contributed) {
      for (const [name, snippet] of loadSnippets(s.path)) {
        assert.match(snippet.prefix, /^pgvet-[a-z0-9-]+$/, `${name}: prefix`);
        assert.ok(!prefixes.has(snippet.prefix), `${name}: prefix ${snippet.prefix} is unique`);
        prefixes.add(snippet.prefix);
        assert.ok(snippet.description.length > 20, `${name}: description`);
        assert.ok(Array.isArray(snippet.body) && snippet.body.length > 0, `${name}: body`);
      }
    }
  });
});

describe('SQL snippets parse with PostgreSQL\'s grammar when filled with their defaults', () => {
  before(() => initParser());
  for (const [name, snippet] of loadSnippets('snippets/sql.json')) {
    test(`${snippet.prefix} (${name})`, () => {
      const sql = expandSnippet(snippet.body.join('\n'));
      const file = parseSqlFile(sql);
      assert.ok(file.statements.length > 0, `no statements in:\n${sql}`);
      for (const st of file.statements) {
        assert.equal(st.status, 'ok', `${st.error?.message ?? st.status} in:\n${sql.slice(st.start, st.end)}`);
      }
    });
  }
});

describe('Prisma snippets are well formed when filled with their defaults', () => {
  for (const [name, snippet] of loadSnippets('snippets/prisma.json')) {
    test(`${snippet.prefix} (${name})`, () => {
      const text = expandSnippet(snippet.body.join('\n'));
      assert.equal(unbalancedBrackets(text), undefined);
      // Field- and attribute-level snippets are inserted inside a model: parse them there.
      const schema = /^\s*(model|enum|view|type)\s/.test(text)
        ? text
        : `model Tenant {\n  id String @id\n}\n\nmodel Host {\n  id String @id\n${text}\n  createdAt DateTime\n}\n`;
      const file = parsePrismaFile(schema);
      assert.deepEqual(file.diagnostics.map((d) => d.message), [], schema);
    });
  }
});
