/**
 * The order of TLS attempts per sslmode, and libpq's default files in ~/.postgresql. What they do on a
 * real server is in test/explain/tls.test.ts.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { ConnectionOptions } from 'node:tls';
import { sslAttempts, type TlsParams } from '../../core/src/connections/tls';

const emptyHome = mkdtempSync(join(tmpdir(), 'pgvet-home-'));
const homeWithRoot = mkdtempSync(join(tmpdir(), 'pgvet-home-'));
mkdirSync(join(homeWithRoot, '.postgresql'));
writeFileSync(join(homeWithRoot, '.postgresql', 'root.crt'), 'not read until used');
after(() => [emptyHome, homeWithRoot].forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Each attempt as "plain", "tls" (no check) or "verify" (chain checked). */
function shape(p: TlsParams, home = emptyHome): string[] | string {
  const r = sslAttempts(p, home);
  if ('failure' in r) return r.failure.message;
  return r.attempts.map((a) => (a === false ? 'plain' : (a as ConnectionOptions).rejectUnauthorized ? 'verify' : 'tls'));
}

test('attempts per sslmode, without a root certificate', () => {
  const host = 'db.example.com';
  assert.deepEqual(shape({ host, sslmode: 'disable' }), ['plain']);
  assert.deepEqual(shape({ host, sslmode: 'allow' }), ['plain', 'tls']);
  assert.deepEqual(shape({ host, sslmode: 'prefer' }), ['tls', 'plain']);
  assert.deepEqual(shape({ host, sslmode: 'require' }), ['tls']);
  assert.match(shape({ host, sslmode: 'verify-ca' }) as string, /no CA certificate is set/);
  assert.match(shape({ host, sslmode: 'verify-full' }) as string, /no CA certificate is set/);
});

test('a Unix-socket host never uses TLS', () => {
  assert.deepEqual(shape({ host: '/var/run/postgresql', sslmode: 'require' }), ['plain']);
});

test('~/.postgresql/root.crt, when it exists, makes require and the TLS attempt of prefer verify (libpq)', () => {
  assert.deepEqual(shape({ host: 'h', sslmode: 'require' }, homeWithRoot), ['verify']);
  assert.deepEqual(shape({ host: 'h', sslmode: 'prefer' }, homeWithRoot), ['verify', 'plain']);
  assert.deepEqual(shape({ host: 'h', sslmode: 'verify-ca' }, homeWithRoot), ['verify']);
});

test('sslrootcert "system": Node\'s CA list, only with verify-full (libpq 16)', () => {
  assert.deepEqual(shape({ host: 'h', sslmode: 'verify-full', sslrootcert: 'system' }), ['verify']);
  const r = sslAttempts({ host: 'h', sslmode: 'verify-full', sslrootcert: 'system' }, emptyHome);
  assert.ok('attempts' in r && r.attempts[0] !== false && r.attempts[0].ca === undefined);
  assert.match(shape({ host: 'h', sslmode: 'require', sslrootcert: 'system' }) as string, /needs sslmode "verify-full"/);
});

test('sslkey without sslcert, and an unreadable sslcert, are refused naming the setting', () => {
  assert.match(shape({ host: 'h', sslmode: 'require', sslkey: '/k.pem' }) as string, /sslkey is set without sslcert/);
  assert.match(shape({ host: 'h', sslmode: 'require', sslcert: '/nonexistent/c.pem' }) as string, /The sslcert file "\/nonexistent\/c\.pem" cannot be read/);
});
