import type { FileContext } from './layouts';
import type { SqlFile } from '../parse/sql/parser';

/** One migration file of the history, as the schema rules may need it to build fixes. */
export interface HistoryFile {
  path: string;
  text: string;
  parsed: SqlFile;
  context: FileContext;
  /**
   * The separate down file of layouts that pair one (golang-migrate, diesel, Flyway undo, pop, sqitch revert):
   * its path and text, `null` when the layout expects one and there is none; absent for other layouts.
   */
  down?: { path: string; text: string } | null;
}
