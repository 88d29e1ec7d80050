import { layoutById, type LayoutId } from '../catalog/layouts';

/**
 * Files that hold only a down migration: golang-migrate/pop `.down.sql`, diesel `down.sql`, Flyway undo `U…__`,
 * sqitch `revert/`.
 */
export function isDownMigrationFile(path: string | undefined): boolean {
  return !!path && /(?:^|[\\/])(?:down\.sql|[^\\/]*\.down\.sql|U\d[^\\/]*__[^\\/]*\.sql)$|[\\/]revert[\\/][^\\/]+$/i.test(path);
}

/**
 * Where the part of a migration file that runs going down starts: 0 for a down file, the marker of goose's and
 * dbmate's down section, undefined when everything in the file runs going up.
 */
export function downPartStart(path: string | undefined, text: string, layout: LayoutId): number | undefined {
  if (isDownMigrationFile(path)) return 0;
  const spec = layoutById(layout);
  const m = spec.down === 'section' ? spec.downMarker.exec(text) : null;
  return m ? m.index : undefined;
}
