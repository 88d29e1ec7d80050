import type { DirectoryView, MigrationUnit } from './types';
import { joinPath } from './paths';

/** Compares version strings the way most tools do: digit runs as numbers, the rest as text. */
export function compareNatural(a: string, b: string): number {
  const pa = a.match(/\d+|\D+/g) ?? [];
  const pb = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (/^\d/.test(x) && /^\d/.test(y)) {
      const d = BigInt(x) - BigInt(y);
      if (d !== 0n) return d < 0n ? -1 : 1;
    } else if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Plain byte-wise order of names (Prisma, Supabase, diesel, drizzle sort their folders this way). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sqlFiles(dir: string, fs: DirectoryView): string[] {
  return fs.list(dir).filter((e) => !e.isDirectory && /\.sql$/i.test(e.name)).map((e) => e.name);
}

/** Units from single files matched by `pattern` (group 1 is the version), sorted with `compare`. */
export function singleFileUnits(dir: string, fs: DirectoryView, pattern: RegExp, compare: (a: string, b: string) => number): MigrationUnit[] {
  const units: MigrationUnit[] = [];
  for (const name of sqlFiles(dir, fs)) {
    const m = pattern.exec(name);
    if (m) units.push({ up: joinPath(dir, name), version: m[1] });
  }
  return units.sort((a, b) => compare(a.version, b.version) || compareText(a.up, b.up));
}

/**
 * Blanks the parts of a file outside the sections that `isUpMarker` opens and `isOtherMarker` closes,
 * keeping every offset (newlines stay, other characters become spaces).
 */
export function keepSections(text: string, isUpMarker: RegExp, isOtherMarker: RegExp): string {
  let keep = false;
  return text.split(/(?<=\n)/).map((line) => {
    if (isUpMarker.test(line)) { keep = true; return line; }
    if (isOtherMarker.test(line)) keep = false;
    return keep ? line : line.replace(/[^\n\r]/g, ' ');
  }).join('');
}
