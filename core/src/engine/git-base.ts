import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, realpathSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/**
 * The base ref of a git repository: the migrations it holds count as applied (see engine/migration-state.ts).
 * Only plain data, so the CLI can hand it to its worker threads.
 */
export interface GitBase {
  /** The repository's top folder, as git prints it (real path). */
  toplevel: string;
  /** The ref as the user named it (or as pgvet chose it), for messages. */
  ref: string;
  /** The commit it resolved to, once per run: the rest of the run reads that commit's tree. */
  commit: string;
}

export class GitError extends Error {}

function git(cwd: string, args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
}

function tryGit(cwd: string, args: string[]): string | undefined {
  try {
    return git(cwd, args).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** The repository that holds `dir`; a GitError when git is missing or `dir` is in no repository. */
function toplevelOf(dir: string): string {
  try {
    return git(dir, ['rev-parse', '--show-toplevel']).trim();
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === 'ENOENT') throw new GitError('the git program was not found on PATH');
    throw new GitError(`${dir} is not inside a git repository`);
  }
}

/** Resolves `ref` in the repository holding `dir`; a GitError says why it cannot. */
export function resolveGitBase(dir: string, ref: string): GitBase {
  const toplevel = toplevelOf(dir);
  const commit = tryGit(toplevel, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]);
  if (!commit) throw new GitError(`the git ref "${ref}" does not exist in ${toplevel}`);
  return { toplevel, ref, commit };
}

/**
 * The editor's default base: where this branch left the branch it will merge into. That is the upstream when the
 * branch tracks another branch (`git switch -c feature origin/main`), else the remote's default branch
 * (`origin/HEAD`). A pushed feature branch tracks its own copy on the remote, which holds the branch's new
 * migrations: they are not applied anywhere, so that upstream is passed over. Undefined when there is none.
 */
export function defaultGitBase(dir: string): GitBase | undefined {
  let toplevel: string;
  try {
    toplevel = toplevelOf(dir);
  } catch {
    return undefined;
  }
  const branch = tryGit(toplevel, ['rev-parse', '--abbrev-ref', 'HEAD']);
  const upstream = tryGit(toplevel, ['rev-parse', '--abbrev-ref', '--symbolic-full-name', '@{upstream}']);
  const candidates: string[] = [];
  if (upstream && upstream.split('/').slice(1).join('/') !== branch) candidates.push(upstream);
  candidates.push('origin/HEAD');
  for (const ref of candidates) {
    if (!tryGit(toplevel, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])) continue;
    const commit = tryGit(toplevel, ['merge-base', 'HEAD', ref]);
    if (commit) return { toplevel, ref: `merge-base of HEAD and ${ref}`, commit };
  }
  return undefined;
}

/** The blobs under `dir` in the base commit: absolute path → object id. Empty when `dir` is outside the repository. */
export function baseBlobs(base: GitBase, dir: string): Map<string, string> {
  const out = new Map<string, string>();
  let real: string;
  try {
    real = realpathSync(dir);
  } catch {
    return out;
  }
  const rel = relative(base.toplevel, real);
  if (rel.startsWith('..')) return out;
  const listing = git(base.toplevel, ['ls-tree', '-r', '-z', '--full-tree', base.commit, '--', rel === '' ? '.' : rel.split(sep).join('/')]);
  for (const entry of listing.split('\0')) {
    const m = /^\d+ blob ([0-9a-f]+)\t(.*)$/s.exec(entry);
    // Keyed by the path as the caller names it (which may go through a symlink), not the real one.
    if (m) out.set(join(dir, relative(real, join(base.toplevel, m[2]))), m[1]);
  }
  return out;
}

/** git's object id of a blob with these bytes (SHA-1, or SHA-256 in a repository that uses it). */
function blobId(bytes: Buffer, length: number): string {
  const hash = createHash(length === 64 ? 'sha256' : 'sha1');
  hash.update(`blob ${bytes.length}\0`);
  hash.update(bytes);
  return hash.digest('hex');
}

/**
 * Whether the file's current text differs from the base blob. The text is compared as stored (UTF-8) and
 * with LF line ends (a checkout with core.autocrlf turns them into CRLF); when neither matches and `textIsOnDisk`
 * (no unsaved edit), the bytes on disk are tried, for files in another encoding.
 */
export function differsFromBase(blob: string, text: string, path: string, textIsOnDisk: boolean): boolean {
  const candidates = [text, text.replace(/\r\n/g, '\n')];
  if (candidates.some((t) => blobId(Buffer.from(t, 'utf8'), blob.length) === blob)) return false;
  if (!textIsOnDisk) return true;
  try {
    return blobId(readFileSync(path), blob.length) !== blob;
  } catch {
    return true;
  }
}

/** The text of a blob (the applied version of a modified migration). */
export function blobText(base: GitBase, blob: string): string | undefined {
  try {
    return git(base.toplevel, ['cat-file', 'blob', blob]);
  } catch {
    return undefined;
  }
}
