import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { readProjectConfigText, type ConfigProblem } from './resolve-config';
import { DEFAULT_PGVET_JSON, type PgvetJson } from '../config/schema';

export const CONFIG_FILE_NAME = 'pgvet.json';

export interface LoadedProjectConfig {
  /** The pgvet.json that applies, or undefined when there is none. */
  path?: string;
  /** Its text, kept so problems can be placed on the right line. */
  text?: string;
  config: PgvetJson;
  problems: ConfigProblem[];
}

/** The nearest pgvet.json at or above `startDir`, stopping at `stopDir` when given. */
export function findConfigFile(startDir: string, stopDir?: string): string | undefined {
  let dir = resolve(startDir);
  const stop = stopDir ? resolve(stopDir) : undefined;
  for (;;) {
    const candidate = join(dir, CONFIG_FILE_NAME);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir || dir === stop) return undefined;
    dir = parent;
  }
}

/** Reads one pgvet.json; an unreadable or invalid file yields the defaults and its problems. */
export function loadConfigFile(path: string): LoadedProjectConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return { path, config: DEFAULT_PGVET_JSON, problems: [{ path: [], message: `cannot read ${path}: ${(e as Error).message}` }] };
  }
  return { path, text, ...readProjectConfigText(text) };
}

export function loadProjectConfig(startDir: string, stopDir?: string): LoadedProjectConfig {
  const path = findConfigFile(startDir, stopDir);
  return path ? loadConfigFile(path) : { config: DEFAULT_PGVET_JSON, problems: [] };
}

/** Where in the config text a problem's JSON path points (the key's offset), best effort. */
export function locateProblem(text: string, problem: ConfigProblem): number {
  let at = 0;
  for (const key of problem.path) {
    if (typeof key !== 'string') continue;
    const k = text.indexOf(JSON.stringify(key), at);
    if (k < 0) break;
    at = k;
  }
  return at;
}
