import { execFile } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { closedPort } from '../support/ports';

const run = promisify(execFile);

/** A throwaway PostgreSQL cluster on 127.0.0.1 with password (scram) authentication over TCP. */
export interface TestServer {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  /** Directory of the cluster's log file, for tests that look at what the server saw. */
  logFile: string;
  /** With `tls`: the certificate files, all made for this server in its temporary directory. */
  tls?: TestServerTls;
  stop(): Promise<void>;
}

export interface TestServerTls {
  /** The CA that signed the server's and the client's certificates. */
  caFile: string;
  /** A CA that signed nothing here: verifying with it must fail. */
  otherCaFile: string;
  /** The only name in the server certificate (subjectAltName DNS); not 127.0.0.1. */
  hostName: string;
  /** A client certificate for the user `postgres` (CN=postgres) and its key. */
  clientCert: string;
  clientKey: string;
}

export interface TestServerOptions {
  /** ssl=on with a server certificate for `hostName` (default "localhost") from a CA made with openssl. */
  tls?: boolean | { hostName?: string };
  /** pg_hba.conf lines put before initdb's own, e.g. `hostnossl all all 0.0.0.0/0 reject`. */
  hbaFirst?: string[];
}

/** A CA, a server certificate for `hostName` and a client certificate for `postgres`, made with openssl in `dir`. */
async function makeCertificates(dir: string, hostName: string): Promise<TestServerTls & { serverCert: string; serverKey: string }> {
  const f = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => run('openssl', args);
  for (const ca of ['ca', 'other-ca']) {
    await openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=pgvet test ${ca}`, '-keyout', f(`${ca}.key`), '-out', f(`${ca}.crt`));
  }
  const issue = async (name: string, subject: string, ext: string) => {
    await openssl('req', '-new', '-newkey', 'rsa:2048', '-nodes', '-subj', subject, '-keyout', f(`${name}.key`), '-out', f(`${name}.csr`));
    writeFileSync(f(`${name}.ext`), ext);
    await openssl('x509', '-req', '-in', f(`${name}.csr`), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial', '-days', '2', '-extfile', f(`${name}.ext`), '-out', f(`${name}.crt`));
  };
  await issue('server', `/CN=${hostName}`, `subjectAltName=DNS:${hostName}\n`);
  await issue('client', '/CN=postgres', 'extendedKeyUsage=clientAuth\n');
  return { caFile: f('ca.crt'), otherCaFile: f('other-ca.crt'), hostName, clientCert: f('client.crt'), clientKey: f('client.key'), serverCert: f('server.crt'), serverKey: f('server.key') };
}

export const PG_BIN = process.env.PGVET_TEST_PG_BIN ?? '/usr/lib/postgresql/15/bin';

export function postgresAvailable(): boolean {
  return existsSync(join(PG_BIN, 'initdb'));
}

/** PostgreSQL refuses to run as root: as root, run its binaries as the `postgres` OS user. */
function asPostgres(bin: string, args: string[]) {
  const exe = join(PG_BIN, bin);
  return process.getuid?.() === 0 ? run('runuser', ['-u', 'postgres', '--', exe, ...args]) : run(exe, args);
}

/** initdb + pg_ctl start in a fresh temporary directory; `stop()` shuts it down and deletes it. */
export async function startTestServer(settings: Record<string, string> = {}, options: TestServerOptions = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'pgvet-pg-'));
  const data = join(dir, 'data');
  const pwfile = join(dir, 'pw');
  const password = 'pgvet-test-secret';
  writeFileSync(pwfile, password + '\n');
  const tls = options.tls ? await makeCertificates(dir, (typeof options.tls === 'object' && options.tls.hostName) || 'localhost') : undefined;
  if (tls) chmodSync(tls.serverKey, 0o600);
  if (process.getuid?.() === 0) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    for (const path of [dir, pwfile, ...(tls ? [tls.serverKey, tls.serverCert, tls.caFile] : [])]) chownSync(path, Number(stdout), Number(gid));
  }
  await asPostgres('initdb', ['-D', data, '-U', 'postgres', '--pwfile', pwfile, '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--no-sync']);
  if (options.hbaFirst?.length) {
    const hba = join(data, 'pg_hba.conf');
    writeFileSync(hba, `${options.hbaFirst.join('\n')}\n${readFileSync(hba, 'utf8')}`);
  }
  if (tls) Object.assign(settings = { ...settings }, { ssl: 'on', ssl_cert_file: tls.serverCert, ssl_key_file: tls.serverKey, ssl_ca_file: tls.caFile });
  const port = await closedPort();
  const logFile = join(dir, 'server.log');
  const opts = [`-p ${port}`, `-k ${dir}`, '-c listen_addresses=127.0.0.1', '-c fsync=off', ...Object.entries(settings).map(([k, v]) => `-c ${k}=${v}`)];
  await asPostgres('pg_ctl', ['-D', data, '-l', logFile, '-w', '-o', opts.join(' '), 'start']);
  return {
    host: '127.0.0.1',
    port,
    user: 'postgres',
    password,
    database: 'postgres',
    logFile,
    ...(tls ? { tls: { caFile: tls.caFile, otherCaFile: tls.otherCaFile, hostName: tls.hostName, clientCert: tls.clientCert, clientKey: tls.clientKey } } : {}),
    async stop() {
      try {
        await asPostgres('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
