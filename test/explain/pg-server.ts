import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

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
  stop(): Promise<void>;
}

export const PG_BIN = process.env.PGVET_TEST_PG_BIN ?? '/usr/lib/postgresql/15/bin';

export function postgresAvailable(): boolean {
  return existsSync(join(PG_BIN, 'initdb'));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** PostgreSQL refuses to run as root: as root, run its binaries as the `postgres` OS user. */
function asPostgres(bin: string, args: string[]) {
  const exe = join(PG_BIN, bin);
  return process.getuid?.() === 0 ? run('runuser', ['-u', 'postgres', '--', exe, ...args]) : run(exe, args);
}

/** initdb + pg_ctl start in a fresh temporary directory; `stop()` shuts it down and deletes it. */
export async function startTestServer(settings: Record<string, string> = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'pgvet-pg-'));
  const data = join(dir, 'data');
  const pwfile = join(dir, 'pw');
  const password = 'pgvet-test-secret';
  writeFileSync(pwfile, password + '\n');
  if (process.getuid?.() === 0) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    chownSync(dir, Number(stdout), Number(gid));
    chownSync(pwfile, Number(stdout), Number(gid));
  }
  await asPostgres('initdb', ['-D', data, '-U', 'postgres', '--pwfile', pwfile, '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
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
    async stop() {
      try {
        await asPostgres('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
