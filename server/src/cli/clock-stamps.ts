/**
 * A fix that creates a migration names it after the current second (fixes/new-migration.ts: `YYYYMMDDHHMMSS`,
 * diesel's `YYYY-MM-DD-HHMMSS`, or the first 12 or 13 digits of it for histories numbered that way), unless the
 * history's last version is later than now, when it takes the version after that. A unit that read the clock runs
 * with the clock stopped at its start, T0, and its kept result is brought to the time of the run that reuses it by
 * replacing T0's stamps with the new ones: what a cold run at that time prints. That holds while now is later
 * than every version of the history; a history with a version at or after T0 is not kept (`laterThan`).
 */

const pad2 = (n: number) => String(n).padStart(2, '0');

function stamp(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}${pad2(d.getUTCMonth() + 1)}${pad2(d.getUTCDate())}${pad2(d.getUTCHours())}${pad2(d.getUTCMinutes())}${pad2(d.getUTCSeconds())}`;
}

const dashed = (s: string) => `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}-${s.slice(8)}`;

/** The forms of the time `ms` a new migration's name may carry, longest first (each shorter one is a prefix of the first). */
function forms(ms: number): string[] {
  const s = stamp(ms);
  return [s, dashed(s), s.slice(0, 13), s.slice(0, 12)];
}

/** `text` (a kept result) with the stamps of `from` replaced by those of `to`. */
export function restamp(text: string, from: number, to: number): string {
  const [a, b] = [forms(from), forms(to)];
  return a.reduce((t, form, i) => t.split(form).join(b[i]), text);
}

/**
 * `text` (a whole run's output) with the stamps of every time in `from` replaced by those of `to`, in one pass:
 * a run of a few seconds has a few distinct stamps, and splitting a 3 MB output once per unit's clock took 0.6 s.
 */
export function restampAll(text: string, from: number[], to: number): string {
  const target = forms(to);
  const byForm = new Map<string, string>();
  for (const ms of new Set(from.map((t) => Math.floor(t / 1000) * 1000))) forms(ms).forEach((form, i) => byForm.set(form, target[i]));
  // Longest first, so a whole stamp wins over its own prefix; nothing but digits and dashes to escape.
  const pattern = [...byForm.keys()].sort((a, b) => b.length - a.length).join('|');
  return pattern ? text.replace(new RegExp(pattern, 'g'), (form) => byForm.get(form)!) : text;
}

/**
 * Whether any of `names` (the paths and entries a unit read) carries a version at or after `ms`, which a new
 * migration's name would follow instead of the clock: digit runs of 12 or more, diesel's dashes taken out.
 */
export function laterThan(names: Iterable<string>, ms: number): boolean {
  const now = stamp(ms);
  for (const name of names) {
    for (const run of name.replace(/(\d{4})-(\d{2})-(\d{2})-(\d{6})/g, '$1$2$3$4').match(/\d{12,}/g) ?? []) {
      const width = Math.min(run.length, now.length);
      if (run.slice(0, width) >= now.slice(0, width)) return true;
    }
  }
  return false;
}
