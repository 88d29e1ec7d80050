/**
 * The processes of one code-server run and their memory, from /proc: the extension host, pgvet's language server and
 * its embedded databases. Used by bench/editor-memory.ts (figures per phase) and printed at the end of the UI suite.
 */
import { readdirSync, readFileSync } from 'node:fs';

function readProc(pid: string, file: string): string {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return '';
  }
}

function processTable(): { pid: string; ppid: string; cmd: string }[] {
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map((pid) => {
    const stat = readProc(pid, 'stat');
    const ppid = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1] ?? '';
    return { pid, ppid, cmd: readProc(pid, 'cmdline').replace(/\0/g, ' ') };
  });
}

/** The code-server started for `runDir` and every process below it. */
export function descendantsOf(runDir: string): { pid: string; cmd: string }[] {
  const table = processTable();
  const roots = table.filter((p) => p.cmd.includes(runDir) && p.cmd.includes('code-server'));
  const out = new Map(roots.map((p) => [p.pid, p]));
  for (let grew = true; grew;) {
    grew = false;
    for (const p of table) if (!out.has(p.pid) && out.has(p.ppid)) out.set(p.pid, p), (grew = true);
  }
  return [...out.values()];
}

export const rssMiB = (pid: string) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readProc(pid, 'status'));
  return m ? Number(m[1]) / 1024 : undefined;
};

export type Role = 'extension host' | 'language server' | 'database process';
/** The embedded database's own process (after this change; before, PGlite ran in a thread of the extension host). */
export const ROLES: [Role, RegExp][] = [['extension host', /--type=extensionHost/], ['language server', /dist\/server\.js/], ['database process', /dist\/shadow-worker\.js/]];


/** RSS (MiB) of each role's processes in the run now, summed over its instances; 0 instances print as "none". */
export function memoryNow(runDir: string): string {
  const procs = descendantsOf(runDir);
  return ROLES.map(([role, pattern]) => {
    const sizes = procs.filter((p) => pattern.test(p.cmd)).map((p) => rssMiB(p.pid) ?? 0);
    return `${role} ${sizes.length ? `${sizes.reduce((a, b) => a + b, 0).toFixed(0)} MiB` : 'none'}`;
  }).join(', ');
}
