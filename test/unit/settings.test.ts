import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { CLIENT_SETTINGS, connectionSetting, readSettings, SETTINGS } from '../../core/src/config/settings';

const manifest = JSON.parse(readFileSync(resolve(__dirname, '../../package.json'), 'utf8'));
const properties: Record<string, { default: unknown; description?: string; markdownDescription?: string }> = manifest.contributes.configuration.properties;

test('every pgvet setting in package.json has a zod twin with the same default, and the reverse', () => {
  const inManifest = Object.keys(properties).filter((k) => k.startsWith('pgvet.')).map((k) => k.slice('pgvet.'.length)).sort();
  const all = { ...SETTINGS, ...CLIENT_SETTINGS };
  assert.deepEqual(inManifest, Object.keys(all).sort());
  for (const [key, schema] of Object.entries(all)) {
    const p = properties[`pgvet.${key}`];
    assert.deepEqual(p.default, schema.parse(undefined), `default of pgvet.${key}`);
    assert.ok(p.description || p.markdownDescription, `pgvet.${key} is described`);
  }
});

test('every field of a pgvet.connections entry in package.json has a zod twin, and the reverse', () => {
  const items = (properties['pgvet.connections'] as unknown as { items: { properties: Record<string, { description?: string; markdownDescription?: string }> } }).items.properties;
  assert.deepEqual(Object.keys(items).sort(), Object.keys(connectionSetting.shape).sort());
  assert.ok(items.explainRole.markdownDescription, 'explainRole is described');
});

test('an invalid setting falls back to its default and is reported once', () => {
  const { settings, problems } = readSettings({ enable: 'yes', lint: { debounceMs: -5 }, rules: { a: 'warning' } });
  assert.equal(settings.enable, true);
  assert.equal(settings.lint.debounceMs, 0);
  assert.deepEqual(settings.rules, { a: 'warning' });
  assert.equal(problems.length, 2);
  assert.match(problems[0], /^pgvet\.enable: /);
  assert.match(problems[1], /^pgvet\.lint\.debounceMs: /);
});
