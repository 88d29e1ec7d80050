import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { RULES } from '../../core/src/rules';
import { parseHeader } from '../support/doc-examples';

const root = resolve(__dirname, '../..');

// `meta` is the single source of a rule's default, category and fix kind; the page's header line must say the same.
for (const rule of RULES) {
  test(`${rule.id}: the page header says the default, category and fix kind of meta`, () => {
    const header = parseHeader(readFileSync(resolve(root, `docs/rules/${rule.id}.md`), 'utf8'));
    assert.ok(typeof header !== 'string', `docs/rules/${rule.id}.md: ${header as string}`);
    const { defaultSeverity, category, fixKind } = header;
    assert.deepEqual(
      { defaultSeverity, category, fixKind },
      { defaultSeverity: rule.meta.defaultSeverity, category: rule.meta.category, fixKind: rule.meta.fix },
      `docs/rules/${rule.id}.md line ${header.line} against core/src/rules/${rule.id}.ts meta`,
    );
  });
}
