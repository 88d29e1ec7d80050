/**
 * sslmode as libpq means it, on real servers: one with ssl=on and a certificate for "localhost" from a
 * CA made with openssl, one without TLS. pg_stat_ssl says whether the session is encrypted.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ConnectionSetting } from '../../core/src/config/settings';
import { resolveConnection } from '../../core/src/connections/resolve';
import { connectPg, ConnectionError } from '../../core/src/explain/adapters';
import type { ConnectionFailure } from '../../core/src/connections/connection-errors';
import { postgresAvailable, startTestServer, type TestServer } from './pg-server';

async function sessionTls(server: TestServer, setting: Partial<ConnectionSetting>, password = server.password): Promise<{ ssl: boolean; clientDn: string | null }> {
  const params = resolveConnection({ name: 't', host: server.host, port: server.port, user: server.user, database: server.database, ...setting }, { password, env: {} });
  const { client, end } = await connectPg(params);
  try {
    const [row] = await client.query('SELECT ssl, client_dn FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
    return { ssl: row.ssl as boolean, clientDn: (row.client_dn as string | null) ?? null };
  } finally {
    await end();
  }
}

async function failure(server: TestServer, setting: Partial<ConnectionSetting>): Promise<ConnectionFailure> {
  try {
    await sessionTls(server, setting);
  } catch (e) {
    assert.ok(e instanceof ConnectionError, String(e));
    return e.failure;
  }
  return assert.fail('connected');
}

describe('sslmode against real servers', { skip: !postgresAvailable() && 'no PostgreSQL binaries' }, () => {
  let tls: TestServer;
  let plain: TestServer;
  let ca: string;
  let otherCa: string;

  before(async () => {
    // `tlsonly` may only connect over TLS: what `allow` must end up using.
    [tls, plain] = await Promise.all([startTestServer({}, { tls: true, hbaFirst: ['hostnossl all tlsonly 0.0.0.0/0 reject'] }), startTestServer()]);
    ca = tls.tls!.caFile;
    otherCa = tls.tls!.otherCaFile;
    const { client, end } = await connectPg({ host: tls.host, port: tls.port, user: tls.user, password: tls.password, database: tls.database });
    await client.query(`CREATE ROLE tlsonly LOGIN PASSWORD '${tls.password}'`);
    await end();
  });
  after(async () => {
    await Promise.all([tls?.stop(), plain?.stop()]);
  });

  describe('a server without TLS', () => {
    test('prefer (the default) falls back to plain', async () => {
      assert.equal((await sessionTls(plain, {})).ssl, false);
      assert.equal((await sessionTls(plain, { sslmode: 'prefer' })).ssl, false);
    });
    test('disable and allow are plain', async () => {
      assert.equal((await sessionTls(plain, { sslmode: 'disable' })).ssl, false);
      assert.equal((await sessionTls(plain, { sslmode: 'allow' })).ssl, false);
    });
    test('require fails, naming sslmode', async () => {
      const f = await failure(plain, { sslmode: 'require' });
      assert.equal(f.kind, 'ssl');
      assert.match(f.message, /does not support SSL, but sslmode require requires it/);
      assert.match(f.fix, /sslmode .*pgvet\.connections/);
    });
  });

  describe('a server with TLS (certificate for "localhost")', () => {
    test('prefer (the default) and require encrypt; disable and allow do not', async () => {
      assert.equal((await sessionTls(tls, {})).ssl, true);
      assert.equal((await sessionTls(tls, { sslmode: 'require' })).ssl, true);
      assert.equal((await sessionTls(tls, { sslmode: 'disable' })).ssl, false);
      assert.equal((await sessionTls(tls, { sslmode: 'allow' })).ssl, false);
    });

    test('allow: plain first, TLS when the server refuses plain (pg_hba hostnossl reject)', async () => {
      assert.equal((await sessionTls(tls, { sslmode: 'allow', user: 'tlsonly' })).ssl, true);
      const f = await failure(tls, { sslmode: 'disable', user: 'tlsonly' });
      assert.match(f.message, /only accepts SSL connections/);
    });

    test('require does not check the certificate (node-postgres would treat a URL\'s sslmode=require as verify-full)', async () => {
      const url = `postgres://${tls.user}@${tls.host}:${tls.port}/${tls.database}?sslmode=require`;
      assert.equal((await sessionTls(tls, { connectionString: url })).ssl, true);
    });

    test('verify-ca: fails without a CA (naming sslrootcert), fails with another CA, passes with the right one via 127.0.0.1', async () => {
      const none = await failure(tls, { sslmode: 'verify-ca' });
      assert.equal(none.kind, 'ssl');
      assert.match(none.message, /no CA certificate is set/);
      assert.match(none.fix, /sslrootcert/);
      const wrong = await failure(tls, { sslmode: 'verify-ca', sslrootcert: otherCa });
      assert.equal(wrong.kind, 'ssl');
      assert.match(wrong.message, /not signed by a trusted CA/);
      assert.match(wrong.fix, /Set sslrootcert/);
      assert.equal((await sessionTls(tls, { sslmode: 'verify-ca', sslrootcert: ca })).ssl, true);
    });

    test('verify-full: the host name must match (127.0.0.1 does not, localhost does)', async () => {
      const f = await failure(tls, { sslmode: 'verify-full', sslrootcert: ca });
      assert.equal(f.kind, 'ssl');
      assert.match(f.message, /not for the host name "127\.0\.0\.1"/);
      assert.match(f.fix, /verify-ca/);
      assert.equal((await sessionTls(tls, { sslmode: 'verify-full', sslrootcert: ca, host: tls.tls!.hostName })).ssl, true);
      const url = `postgres://${tls.user}@127.0.0.1:${tls.port}/${tls.database}?sslmode=verify-full&sslrootcert=${encodeURIComponent(ca)}`;
      assert.equal((await failure(tls, { connectionString: url })).kind, 'ssl');
    });

    test('require with an sslrootcert checks the chain, as verify-ca (libpq)', async () => {
      assert.equal((await failure(tls, { sslmode: 'require', sslrootcert: otherCa })).kind, 'ssl');
      assert.equal((await sessionTls(tls, { sslmode: 'require', sslrootcert: ca })).ssl, true);
    });

    test('prefer with an sslrootcert that does not verify falls back to plain, as libpq does', async () => {
      assert.equal((await sessionTls(tls, { sslmode: 'prefer', sslrootcert: otherCa })).ssl, false);
    });

    test('sslcert/sslkey present a client certificate (pg_stat_ssl.client_dn)', async () => {
      assert.equal((await sessionTls(tls, { sslmode: 'require' })).clientDn, null);
      const withCert = await sessionTls(tls, { sslmode: 'verify-ca', sslrootcert: ca, sslcert: tls.tls!.clientCert, sslkey: tls.tls!.clientKey });
      assert.deepEqual(withCert, { ssl: true, clientDn: '/CN=postgres' });
    });

    test('an sslrootcert that cannot be read names the setting and the path', async () => {
      const f = await failure(tls, { sslmode: 'verify-ca', sslrootcert: '/nonexistent/ca.pem' });
      assert.equal(f.kind, 'ssl');
      assert.match(f.message, /The sslrootcert file "\/nonexistent\/ca\.pem" cannot be read \(ENOENT\)/);
    });
  });
});
