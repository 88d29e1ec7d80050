/** A fix: text edits on the linted file, and files to create beside it. A leaf module: it imports nothing. */
export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** Overrides the rule's `meta.fix` for this one fix (e.g. CONCURRENTLY is only safe outside a transaction). */
  safe?: boolean;
  /** Files to create beside the linted one (a down migration, diesel's metadata.toml). Paths relative to the linted file's folder. */
  createFiles?: { relativePath: string; content: string }[];
}
