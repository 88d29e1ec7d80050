import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { BASELINE_FILE, parseBaseline, projectRelative, projectRoot, findingKeys, fingerprint, isObjectKey } from '../../../core/src';
import type { Finding } from '../../../core/src';
import type { ProjectConfigs } from './project-config';

/**
 * pgvet-baseline.json in the editor: the same file and fingerprints as the CLI (see engine/baseline.ts), so a
 * finding the team accepted is hidden in the Problems panel too. The file is read again when it changes on disk.
 */
export class EditorBaseline {
  private readonly files = new Map<string, { mtimeMs: number; fingerprints: Set<string> }>();

  constructor(private readonly configs: ProjectConfigs, private readonly roots: () => string[], private readonly configFile: () => string | undefined = () => undefined) {}

  /** The project folder of a file: its pgvet.json's folder, else the workspace folder holding it, else its own folder. */
  rootOf(path: string): string {
    const config = this.configs.loadedNear(dirname(path), this.configFile())?.path;
    const abs = resolve(path);
    const workspace = this.roots().map((r) => resolve(r)).sort((a, b) => b.length - a.length).find((r) => abs.startsWith(r + sep));
    return projectRoot(config, workspace ?? dirname(abs));
  }

  /** The baseline file that applies to `path`, when there is one. */
  fileFor(path: string): string | undefined {
    const file = join(this.rootOf(path), BASELINE_FILE);
    return this.load(file) ? file : undefined;
  }

  /**
   * The findings the baseline does not list, and how many it hid. `spanOf` gives a finding's statement;
   * `schemaHome` the home of the file's schema (see engine/fingerprint.ts).
   */
  filter(path: string, findings: Finding[], text: string, spanOf: (f: Finding) => { start: number; end: number } | undefined, schemaHome?: string): { kept: Finding[]; hidden: number } {
    const root = this.rootOf(path);
    const listed = this.load(join(root, BASELINE_FILE));
    if (!listed || findings.length === 0) return { kept: findings, hidden: 0 };
    const keys = findingKeys(findings, text, spanOf);
    const rel = projectRelative(root, path);
    const home = schemaHome === undefined ? '' : projectRelative(root, schemaHome);
    const kept = findings.filter((f, i) => !listed.has(fingerprint(f.ruleId, keys[i].key, isObjectKey(keys[i].key) ? home : rel)));
    return { kept, hidden: findings.length - kept.length };
  }

  private load(file: string): Set<string> | undefined {
    let mtimeMs: number;
    try {
      mtimeMs = statSync(file).mtimeMs;
    } catch {
      this.files.delete(file);
      return undefined;
    }
    const hit = this.files.get(file);
    if (hit && hit.mtimeMs === mtimeMs) return hit.fingerprints;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    const parsed = parseBaseline(text);
    const fingerprints = new Set(parsed.problem ? [] : parsed.entries.map((e) => e.fingerprint));
    this.files.set(file, { mtimeMs, fingerprints });
    return fingerprints;
  }
}
