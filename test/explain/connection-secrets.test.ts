/**
 * A password never shows: every connection-string form, through every place a connection's description
 * goes (the picker's description, the target label that progress messages, the panel's "Ran on" line and
 * saved .pgplan.json files are made of, connection error messages, messages about strings pgvet cannot
 * read). And every form connects, with a password full of characters that need quoting or encoding, on a
 * real PostgreSQL server with scram authentication.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ConnectionSetting } from '../../core/src/config/settings';
import { describeSetting, resolveConnection, targetLabel } from '../../core/src/connections/resolve';
import { connectPg, ConnectionError } from '../../core/src/explain/adapters';
import { analyzePlan } from '../../core/src/explain/plan/metrics';
import { parseSavedPlan, savedPlanText } from '../../client/src/explain/panel/saved-plan';
import { toPlanView } from '../../client/src/explain/panel/plan-view';
import { rootOf } from './fixtures';
import { closedPort } from '../support/ports';
import { postgresAvailable, startTestServer, type TestServer } from './pg-server';

/** The role's real password, and a wrong one; each made of distinctive 4-character pieces. */
const RIGHT = "Zq7k@Wx9m/Tr4p:Hy6s ?&'\\%Lb3n=#";
const WRONG = "Qm5v@Jd8c/Ux2w:Fe4r ?&'\\%Nk7t=#";
const SIMPLE_RIGHT = 'Zq7k@Wx9m/Tr4p:Hy6s';
const SIMPLE_WRONG = 'Qm5v@Jd8c/Ux2w:Fe4r';

interface Target {
  port: number;
  user: string;
  database: string;
}

const enc = encodeURIComponent;
const quoted = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const escaped = (s: string) => s.replace(/([\\' ])/g, '\\$1');

/** Each form, for a password: the connection entry that holds it. */
const FORMS: Record<string, (pw: string, t: Target) => Omit<ConnectionSetting, 'name'>> = {
  'URL, percent-encoded password': (pw, t) => ({ connectionString: `postgres://${t.user}:${enc(pw)}@127.0.0.1:${t.port}/${t.database}` }),
  'URL, password as a query parameter': (pw, t) => ({ connectionString: `postgresql://${t.user}@127.0.0.1:${t.port}/${t.database}?password=${enc(pw)}&sslmode=prefer` }),
  'URL, empty user (the user field fills it)': (pw, t) => ({ connectionString: `postgres://:${enc(pw)}@127.0.0.1:${t.port}/${t.database}`, user: t.user }),
  'keyword/value, quoted password': (pw, t) => ({ connectionString: `host=127.0.0.1 port=${t.port} user=${t.user} dbname=${t.database} password=${quoted(pw)}` }),
  'keyword/value, backslash-escaped password': (pw, t) => ({ connectionString: `host = 127.0.0.1  port=${t.port} user=${t.user} password=${escaped(pw)} dbname=${t.database}` }),
};
/** Forms that only work for a password without spaces, ? or #: libpq would refuse these (@ and / unencoded). */
const RAW_FORMS: Record<string, (pw: string, t: Target) => Omit<ConnectionSetting, 'name'>> = {
  'URL, unencoded @ / : in the password': (pw, t) => ({ connectionString: `postgres://${t.user}:${pw}@127.0.0.1:${t.port}/${t.database}` }),
};

/** The password, its encodings, and every 4-character piece of it (what a half-parsed string would leave). */
function secretTraces(pw: string): string[] {
  const pieces = pw.match(/[A-Za-z0-9]{4}/g) ?? [];
  return [pw, enc(pw), quoted(pw), escaped(pw), encodeURI(pw), ...pieces];
}

function assertNoSecret(where: string, text: string, pw: string): void {
  for (const trace of secretTraces(pw)) assert.ok(!text.includes(trace), `${where} contains "${trace}": ${text}`);
}

function savedPlanFor(label: string): string {
  const view = toPlanView({ plan: analyzePlan([rootOf('seq-scan-filter')]), tips: [], source: { kind: 'connection', label } });
  return savedPlanText(view);
}

describe('passwords never show, and every connection-string form connects', { skip: !postgresAvailable() && 'no PostgreSQL binaries' }, () => {
  let server: TestServer;
  let target: Target;

  before(async () => {
    server = await startTestServer();
    target = { port: server.port, user: 'odd', database: 'postgres' };
    const { client, end } = await connectPg({ host: server.host, port: server.port, user: server.user, password: server.password, database: server.database });
    const [row] = await client.query("SELECT format('CREATE ROLE odd LOGIN PASSWORD %L', $1::text) AS sql", [RIGHT]);
    await client.query(row.sql as string);
    const [raw] = await client.query("SELECT format('CREATE ROLE rawpw LOGIN PASSWORD %L', $1::text) AS sql", [SIMPLE_RIGHT]);
    await client.query(raw.sql as string);
    await end();
  });
  after(async () => server?.stop());

  const cases = () => [
    ...Object.entries(FORMS).map(([name, form]) => ({ name, form, right: RIGHT, wrong: WRONG, user: 'odd' })),
    ...Object.entries(RAW_FORMS).map(([name, form]) => ({ name, form, right: SIMPLE_RIGHT, wrong: SIMPLE_WRONG, user: 'rawpw' })),
  ];

  for (const { name, form, right, wrong, user } of cases()) {
    describe(name, () => {
      test('connects with the right password, as the user the string names', async () => {
        const t = { ...target, user };
        const params = resolveConnection({ name: 'c', ...form(right, t) }, { env: {} });
        const { client, end } = await connectPg(params);
        try {
          const [row] = await client.query('SELECT current_user AS u, current_database() AS d');
          assert.deepEqual(row, { u: user, d: 'postgres' });
        } finally {
          await end();
        }
      });

      test('labels, saved plans and connection errors never contain the password; errors name host, port, database and user', async () => {
        const t = { ...target, user };
        const setting: ConnectionSetting = { name: 'staging', ...form(wrong, t) };
        const params = resolveConnection(setting, { env: {} });
        const label = targetLabel(setting.name, params, '$env');
        assert.equal(label, `staging (${user}@127.0.0.1:${t.port}/postgres)`);
        assertNoSecret('picker description', describeSetting(setting, {}), wrong);
        assertNoSecret('target label (progress, panel)', label, wrong);
        assertNoSecret('saved plan', savedPlanFor(label), wrong);

        // The unknown database needs the right password: with a wrong one the server stops at authentication.
        const failures: [string, string, ReturnType<typeof resolveConnection>][] = [
          ['auth-failed', wrong, params],
          ['refused', wrong, resolveConnection({ name: 'c', ...form(wrong, { ...t, port: await closedPort() }) }, { env: {} })],
          ['unknown-database', right, resolveConnection({ name: 'c', ...form(right, { ...t, database: 'no_such_db' }) }, { env: {} })],
        ];
        for (const [kind, pw, p] of failures) {
          try {
            await connectPg(p);
            assert.fail(`${kind}: connected`);
          } catch (e) {
            assert.ok(e instanceof ConnectionError, String(e));
            assert.equal(e.failure.kind, kind);
            assertNoSecret(`${kind} error`, `${e.message} ${e.failure.fix}`, pw);
            assert.match(e.message, new RegExp(`127\\.0\\.0\\.1:${p.port}`));
            assert.ok(e.message.toLowerCase().includes(`database "${p.database}"`) && e.message.toLowerCase().includes(`user "${user}"`), e.message);
          }
        }
        await assert.rejects(connectPg(params), (e: ConnectionError) => e.message.includes(`user "${user}" on database "postgres" at 127.0.0.1:${t.port}`));
      });
    });
  }

  test('a plan saved by an older pgvet, whose label kept the password, opens and saves again without it', () => {
    // The masking pgvet used to put in labels, kept here to make such files.
    const oldLabel = (cs: string) => `staging (${cs.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1@')})`;
    const strings = [
      'postgres://app:Qm5v@Jd8c@db.example.com/shop',
      'postgres://app:Qm5v/Jd8c@db.example.com/shop',
      'postgres://:Qm5vJd8c@db.example.com/shop',
      'postgres://app@db.example.com/shop?sslmode=require&password=Qm5v%20Jd8c&application_name=x',
      'host=db.example.com password=Qm5vJd8c dbname=shop',
      "host=db.example.com password='Qm5v Jd8c' dbname=shop",
      'host=db.example.com password=Qm5v\\ Jd8c dbname=shop',
    ];
    for (const cs of strings) {
      const label = oldLabel(cs);
      const view = toPlanView({ plan: analyzePlan([rootOf('seq-scan-filter')]), tips: [], source: { kind: 'connection', label } });
      assertNoSecret('saved plan', savedPlanText(view), 'Qm5vJd8c');
      const oldFile = JSON.stringify({ format: 'pgvet-plan', version: 1, plan: view });
      assert.match(oldFile, /Qm5v|Jd8c/, 'the old file holds (part of) the password');
      const opened = parseSavedPlan(oldFile, 'old.pgplan.json');
      assert.ok(opened.ok);
      assert.match(opened.plan.source.label, /db\.example\.com/);
      assertNoSecret('label of an opened old plan', opened.plan.source.label, 'Qm5vJd8c');
      assertNoSecret('old plan saved again', savedPlanText(opened.plan), 'Qm5vJd8c');
    }
  });

  test('strings pgvet cannot read are refused without repeating any part of them', () => {
    const bad = [
      'postgres://odd:Qm5v?Jd8c@127.0.0.1/postgres',
      'postgres://odd:Qm5v%zzJd8c@127.0.0.1/postgres',
      'host=127.0.0.1 password=Qm5v Jd8c',
      "host=127.0.0.1 password='Qm5vJd8c",
      'host=127.0.0.1 Qm5vJd8c',
    ];
    for (const connectionString of bad) {
      const setting = { name: 'c', connectionString };
      assert.throws(() => resolveConnection(setting, { env: {} }), (e: Error) => (assertNoSecret('parse error', e.message, 'Qm5vJd8c'), true));
      const description = describeSetting(setting, {});
      assert.match(description, /^cannot be read: /);
      assertNoSecret('picker description', description, 'Qm5vJd8c');
    }
  });
});
