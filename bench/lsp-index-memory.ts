/**
 * The language server's peak memory while it indexes trigger.dev's histories and publishes the workspace's
 * problems: the server is started on the folder (nothing opened), and when its first `pgvet/problems` arrives its
 * peak RSS (VmHWM of /proc/<pid>/status) and the time since the spawn are read. Several builds in turn, run by run.
 *
 *   node --import tsx bench/lsp-index-memory.ts [--runs 5] [--warm] <dist/server.js> [<other dist/server.js> ...]
 *
 * Each run has a cache folder of its own ($XDG_CACHE_HOME, empty: a cold start), unless --warm, where every
 * build's runs share one that its warm-up run filled (a restart on an unchanged workspace).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient } from '../test/support/lsp-client';

const WORKSPACE = resolve(__dirname, '../../shared/corpus/triggerdotdev__trigger.dev');

const args = process.argv.slice(2);
const runs = args.includes('--runs') ? Number(args[args.indexOf('--runs') + 1]) : 5;
const warm = args.includes('--warm');
const catalog = args.includes('--catalog');
const settingsChange = args.includes('--settings-change');
const servers = args.filter((a, i) => a.endsWith('.js') && args[i - 1] !== '--runs').map((s) => resolve(s));

const peakMiB = (pid: number) => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

async function once(server: string, cacheHome: string): Promise<{ peak: number; ms: number }> {
  const started = Date.now();
  const client = await LspClient.start({ rootUri: pathToFileURL(WORKSPACE).toString(), server, env: { ...process.env, XDG_CACHE_HOME: cacheHome } });
  // VS Code sends the settings again once the server registered for them: the index's work starts over meanwhile.
  if (settingsChange) await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
  await new Promise<void>((done) => client.connection.onNotification('pgvet/problems', () => done()));
  // What the editor asks for next: the catalog view of every history.
  if (catalog) await client.connection.sendRequest('pgvet/catalog');
  const ms = Date.now() - started;
  const peak = peakMiB(client.proc.pid!);
  await client.stop();
  return { peak, ms };
}

(async () => {
  const homes = servers.map(() => mkdtempSync(join(tmpdir(), 'pgvet-index-memory-')));
  const results = servers.map(() => [] as { peak: number; ms: number }[]);
  for (let round = 0; round <= runs; round++) {
    for (const [i, server] of servers.entries()) {
      const home = warm ? homes[i] : mkdtempSync(join(tmpdir(), 'pgvet-index-memory-'));
      const r = await once(server, home);
      if (!warm) rmSync(home, { recursive: true, force: true });
      // Round 0 is the warm-up (it fills the cache with --warm).
      if (round > 0) results[i].push(r);
      process.stdout.write(`${round === 0 ? 'warm-up' : `run ${round}`} ${server}: peak ${r.peak.toFixed(0)} MiB, ${r.ms} ms\n`);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  for (const [i, server] of servers.entries()) {
    const peaks = results[i].map((r) => r.peak);
    process.stdout.write(`${server}${warm ? ' (warm)' : ''}: peak RSS MiB min ${Math.min(...peaks).toFixed(0)} / median ${median(peaks).toFixed(0)} / max ${Math.max(...peaks).toFixed(0)}; to problems ms median ${median(results[i].map((r) => r.ms))}\n`);
  }
  for (const h of homes) rmSync(h, { recursive: true, force: true });
})();
