/** Path helpers that treat `\` and `/` alike, so Windows paths classify the same. */
export function segments(path: string): string[] {
  return path.split(/[\\/]+/).filter(Boolean);
}
export function baseName(path: string): string {
  const s = segments(path);
  return s[s.length - 1] ?? '';
}
export function parentName(path: string): string {
  const s = segments(path);
  return s[s.length - 2] ?? '';
}
export function dirName(path: string): string {
  const k = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return k < 0 ? '.' : path.slice(0, k) || '/';
}
export function joinPath(dir: string, name: string): string {
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}
