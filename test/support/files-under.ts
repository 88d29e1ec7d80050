import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Every file below `dir` whose name matches `pattern`, folders walked in name order (localeCompare), so a seeded
 * test over the corpus sees the same files in the same order on every machine.
 */
export function filesUnder(dir: string, pattern: RegExp, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = join(dir, e.name);
    if (e.isDirectory()) filesUnder(full, pattern, out);
    else if (e.isFile() && pattern.test(e.name)) out.push(full);
  }
  return out;
}
