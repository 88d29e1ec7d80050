import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { Client } from 'pg';
import { closedPort } from './ports';

/**
 * A throwaway PostgreSQL server for tests: initdb into a fresh temp dir, listen on 127.0.0.1 on a free port
 * (unix socket in the temp dir), trust auth for `postgres`. As root, the server runs as an unprivileged user,
 * since PostgreSQL refuses to run as root.
 */
export interface PostgresServer {
  /** PostgreSQL's major version, e.g. 15. */
  version: number;
  binDir: string;
  /** Connection string for a database of this server (default `postgres`). */
  url(database?: string): string;
  stop(): void;
}

/** The directory holding initdb and pg_ctl: the highest /usr/lib/postgresql/<v>/bin, else PATH. */
export function findPostgresBinaries(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) {
    const bin = join(root, v, 'bin');
    if (existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'pg_ctl'))) return bin;
  }
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return dir;
  }
  throw new Error('PostgreSQL server binaries (initdb, pg_ctl) not found in /usr/lib/postgresql/*/bin or on PATH; install them, e.g. `apt-get install -y postgresql`');
}

/** The unprivileged account to run the server as when we are root: `postgres` if it exists, else `nobody`. */
function serverUser(): { name: string; uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const name of ['postgres', 'nobody']) {
    try {
      const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
      return { name, uid, gid };
    } catch {
      // no such user: try the next
    }
  }
  throw new Error('running as root and neither a `postgres` nor a `nobody` user exists to run PostgreSQL as');
}

export async function startPostgres(): Promise<PostgresServer> {
  const binDir = findPostgresBinaries();
  const user = serverUser();
  const run = (cmd: string, args: string[]) => {
    const file = join(binDir, cmd);
    return user
      ? execFileSync('runuser', ['-u', user.name, '--', file, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
      : execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  };
  const version = Number(/(\d+)/.exec(run('pg_ctl', ['--version']))?.[1] ?? 0);
  const dir = mkdtempSync(join(tmpdir(), 'pgvet-pg-'));
  chmodSync(dir, 0o700);
  if (user) chownSync(dir, user.uid, user.gid);
  const data = join(dir, 'data');
  const port = await closedPort();
  let started = false;
  const stop = () => {
    try {
      if (started) run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } finally {
      started = false;
      rmSync(dir, { recursive: true, force: true });
    }
  };
  try {
    run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync']);
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
    // -w: pg_ctl returns once the server accepts connections, or fails after -t seconds.
    run('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-o', options, '-w', '-t', '60', 'start']);
    started = true;
  } catch (e) {
    stop();
    const err = e as { stderr?: string; message: string };
    throw new Error(`could not start PostgreSQL from ${binDir}: ${err.stderr || err.message}`);
  }
  return {
    version,
    binDir,
    url: (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${encodeURIComponent(database)}`,
    stop,
  };
}

/**
 * A throwaway server and one client connected to it, for the enclosing suite: started in a `before` hook (then
 * `setup`, e.g. tables every test uses), stopped in an `after` hook. Read `server` and `client` inside tests.
 */
export function connectedPostgres(setup?: (client: Client) => Promise<unknown>): { readonly server: PostgresServer; readonly client: Client } {
  const state = {} as { server: PostgresServer; client: Client };
  before(async () => {
    state.server = await startPostgres();
    state.client = new Client({ connectionString: state.server.url() });
    await state.client.connect();
    await setup?.(state.client);
  });
  after(async () => {
    await state.client?.end();
    state.server?.stop();
  });
  return state;
}
