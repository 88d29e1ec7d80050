/**
 * The README is the Marketplace page: its settings table, rule tables and command table must say what the
 * extension really contributes. These tests fail when a setting, rule or command is added, renamed or changes its
 * default without the README following.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { RULES } from '../../core/src/rules/index';

const root = resolve(__dirname, '../..');
const readme = readFileSync(resolve(root, 'README.md'), 'utf8');
const manifest = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));

/** The cells of every Markdown table row in `text` (`|` escaped as `\|` stays inside its cell). */
function tableRows(text: string): string[][] {
  return text
    .split('\n')
    .filter((l) => /^\|.*\|\s*$/.test(l) && !/^\|\s*-/.test(l))
    .map((l) => l.trim().slice(1, -1).split(/(?<!\\)\|/).map((c) => c.trim()));
}

/** The README section under `## title`, up to the next `## `. */
function section(title: string): string {
  const start = readme.indexOf(`\n## ${title}\n`);
  assert.ok(start >= 0, `README has a "## ${title}" section`);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

test('the README settings table lists every setting of package.json, with its default, and nothing else', () => {
  const properties: Record<string, { default: unknown }> = manifest.contributes.configuration.properties;
  const rows = tableRows(section('Configuration')).filter((r) => /^`pgvet\./.test(r[0]));
  const listed = new Map(rows.map((r) => [r[0].replace(/`/g, ''), r[1]]));
  assert.deepEqual([...listed.keys()].sort(), Object.keys(properties).sort(), 'the settings in the README table');
  for (const [key, p] of Object.entries(properties)) {
    // Defaults are written as code: `true`, `20`, `""`, `{}`, `[]`, or a bare string value (`off`).
    const shown = listed.get(key)!.replace(/^`|`$/g, '');
    const expected = typeof p.default === 'string' && p.default !== '' ? p.default : JSON.stringify(p.default);
    assert.equal(shown, expected, `default of ${key} in the README`);
    assert.ok(rows.find((r) => r[0] === `\`${key}\``)![2], `${key} has a description in the README`);
  }
});

test('the README rule tables list every rule once, linking its page, with its default severity and fix', () => {
  const rows = tableRows(section('Rules')).filter((r) => /^\[[a-z-]+\]\(/.test(r[0]));
  const ids = rows.map((r) => /^\[([a-z-]+)\]/.exec(r[0])![1]);
  assert.deepEqual([...ids].sort(), RULES.map((r) => r.id).sort(), 'the rules in the README tables');
  assert.equal(new Set(ids).size, ids.length, 'no rule is listed twice');
  const pages = readdirSync(resolve(root, 'docs/rules')).filter((f) => f.endsWith('.md') && f !== 'README.md'); // README.md: how the pages are written
  assert.deepEqual(pages.map((f) => f.replace(/\.md$/, '')).sort(), [...ids].sort(), 'docs/rules/ has a page for each listed rule and no other');
  const fixLabel = { safe: 'yes, also in Fix all', suggestion: 'yes', none: '—' } as const;
  for (const row of rows) {
    const rule = RULES.find((r) => row[0].startsWith(`[${r.id}]`))!;
    assert.equal(row[0], `[${rule.id}](docs/rules/${rule.id}.md)`, `${rule.id} links to its page`);
    assert.ok(existsSync(resolve(root, `docs/rules/${rule.id}.md`)));
    assert.equal(row[1], rule.meta.defaultSeverity, `default severity of ${rule.id}`);
    assert.equal(row[2], fixLabel[rule.meta.fix as keyof typeof fixLabel], `quick fix of ${rule.id}`);
    assert.ok(row[3], `${rule.id} is described`);
  }
});

test('every command in the palette is in the README', () => {
  const commands: { command: string; title: string; category?: string }[] = manifest.contributes.commands;
  for (const c of commands) {
    const label = `${c.category ? `${c.category}: ` : ''}${c.title}`;
    assert.ok(readme.includes(`\`${label}\``), `the README names \`${label}\` (${c.command})`);
  }
});
