/**
 * Connection strings read as libpq reads them (URL and keyword/value), and the settings precedence of
 * resolveConnection. What they do on a real server is in test/explain/tls.test.ts and connection-secrets.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConninfoError, parseConninfo } from '../../core/src/connections/conninfo';
import { connectionLabel, resolveConnection } from '../../core/src/connections/resolve';

describe('parseConninfo: URLs', () => {
  const cases: [string, Record<string, string>][] = [
    ['postgres://app:s3cret@db.example.com:6543/shop', { user: 'app', password: 's3cret', host: 'db.example.com', port: '6543', dbname: 'shop' }],
    ['postgresql://db.example.com/shop?sslmode=require&user=app', { host: 'db.example.com', dbname: 'shop', sslmode: 'require', user: 'app' }],
    ['postgres://app:p%40ss%2Fw%3Ard@h/d', { user: 'app', password: 'p@ss/w:rd', host: 'h', dbname: 'd' }],
    // Not accepted by libpq, accepted here: the user part ends at the last @ before the query.
    ['postgres://app:p@ss@h/d', { user: 'app', password: 'p@ss', host: 'h', dbname: 'd' }],
    ['postgres://app:pa/ss@h/d', { user: 'app', password: 'pa/ss', host: 'h', dbname: 'd' }],
    ['postgres://:secret@h/d', { password: 'secret', host: 'h', dbname: 'd' }],
    ['postgres://h?password=a%26b%3Dc&dbname=x%20y', { host: 'h', password: 'a&b=c', dbname: 'x y' }],
    ['postgres://[::1]:5433/d', { host: '::1', port: '5433', dbname: 'd' }],
    ['postgres://%2Fvar%2Frun%2Fpostgresql/d', { host: '/var/run/postgresql', dbname: 'd' }],
    ['postgres:///d?host=/tmp&port=5499', { dbname: 'd', host: '/tmp', port: '5499' }],
    ['postgres://h/d?ssl=true', { host: 'h', dbname: 'd', sslmode: 'require' }],
    ['postgres://h/d?schema=public&connection_limit=5', { host: 'h', dbname: 'd' }],
    ['postgres://h/d?sslrootcert=%2Fca.pem&sslcert=c.pem&sslkey=k.pem&connect_timeout=3', { host: 'h', dbname: 'd', sslrootcert: '/ca.pem', sslcert: 'c.pem', sslkey: 'k.pem', connect_timeout: '3' }],
    // + is not a space in libpq's percent-decoding
    ['postgres://u:a+b@h', { user: 'u', password: 'a+b', host: 'h' }],
  ];
  for (const [text, expected] of cases) test(text, () => assert.deepEqual(parseConninfo(text), expected));

  test('refused: several hosts, a port that is not a number, bad percent-encoding, an unsupported libpq keyword', () => {
    assert.throws(() => parseConninfo('postgres://a:5432,b:5432/d'), /several hosts/);
    assert.throws(() => parseConninfo('postgres://u:pa?ss@h/d'), ConninfoError);
    assert.throws(() => parseConninfo('postgres://u:%zz@h/d'), /percent-encoding/);
    assert.throws(() => parseConninfo('postgres://h/d?target_session_attrs=read-write'), /"target_session_attrs" is a libpq setting pgvet does not support/);
    assert.throws(() => parseConninfo('postgres://h/d?ssl=false'), /"ssl" parameter/);
  });
});

describe('parseConninfo: keyword/value', () => {
  const cases: [string, Record<string, string>][] = [
    ['host=db port=5432 dbname=shop user=app password=s3cret sslmode=verify-full', { host: 'db', port: '5432', dbname: 'shop', user: 'app', password: 's3cret', sslmode: 'verify-full' }],
    ["  host = db   password = 'it\\'s a \\\\ secret' ", { host: 'db', password: "it's a \\ secret" }],
    ['password=a\\ b host=h', { password: 'a b', host: 'h' }],
    ["password='' host=h", { password: '', host: 'h' }],
    ["options='-c search_path=app' application_name=x", { options: '-c search_path=app', application_name: 'x' }],
  ];
  for (const [text, expected] of cases) test(text, () => assert.deepEqual(parseConninfo(text), expected));

  test('refused without naming the values: no "=", an unterminated quote, an unknown keyword', () => {
    assert.throws(() => parseConninfo('host=h password=Zq7 Wx9'), (e: Error) => /setting number 3 is not a libpq keyword|no "="/.test(e.message) && !e.message.includes('Wx9'));
    assert.throws(() => parseConninfo("host=h password='Zq7"), (e: Error) => /unterminated/.test(e.message) && !e.message.includes('Zq7'));
    assert.throws(() => parseConninfo('hots=h'), (e: Error) => /not a libpq keyword/.test(e.message) && !e.message.includes('hots'));
  });
});

describe('resolveConnection', () => {
  test('the connection string wins over the fields, the fields over PG*, PG* over the defaults', () => {
    const env = { PGHOST: 'envhost', PGPORT: '7000', PGUSER: 'envuser', PGSSLMODE: 'verify-ca', PGSSLROOTCERT: '/env/ca.pem' };
    const p = resolveConnection({ name: 'x', connectionString: 'postgres://strhost/strdb', host: 'fieldhost', user: 'fielduser', sslmode: 'require' }, { env });
    assert.deepEqual(
      { host: p.host, port: p.port, user: p.user, database: p.database, sslmode: p.sslmode, sslrootcert: p.sslrootcert },
      { host: 'strhost', port: 7000, user: 'fielduser', database: 'strdb', sslmode: 'require', sslrootcert: '/env/ca.pem' },
    );
  });

  test('libpq defaults: sslmode prefer, database = user, port 5432', () => {
    const p = resolveConnection({ name: 'x', user: 'app' }, { env: {} });
    assert.deepEqual([p.host, p.port, p.database, p.sslmode], ['localhost', 5432, 'app', 'prefer']);
  });

  test('a password in the string wins over the stored one; relative certificate paths start at the workspace folder', () => {
    const p = resolveConnection({ name: 'x', connectionString: 'host=h password=fromstring', sslrootcert: 'certs/ca.pem' }, { env: {}, password: 'stored', baseDir: '/work/app' });
    assert.equal(p.password, 'fromstring');
    assert.equal(p.sslrootcert, '/work/app/certs/ca.pem');
    assert.equal(resolveConnection({ name: 'x', host: 'h' }, { env: { PGPASSWORD: 'env' }, password: 'stored' }).password, 'stored');
  });

  test('an empty value counts as unset, as in libpq', () => {
    const p = resolveConnection({ name: 'x', connectionString: "host='' password='' port=5433", host: 'fieldhost' }, { env: { PGPASSWORD: 'env' } });
    assert.deepEqual([p.host, p.port, p.password], ['fieldhost', 5433, 'env']);
  });

  test('an invalid sslmode from the environment is refused, not ignored', () => {
    assert.throws(() => resolveConnection({ name: 'x' }, { env: { PGSSLMODE: 'required' } }), /sslmode must be one of .* \(PGSSLMODE\)/);
  });

  test('the label shows user, host, port, database and a non-default sslmode', () => {
    assert.equal(connectionLabel({ user: 'app', host: '::1', port: 5433, database: 'shop', sslmode: 'verify-full' }), 'app@[::1]:5433/shop (sslmode=verify-full)');
    assert.equal(connectionLabel({ user: 'app', host: 'db', port: 5432, database: 'shop', sslmode: 'prefer' }), 'app@db:5432/shop');
  });
});
