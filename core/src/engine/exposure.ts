import type { PgvetJson } from '../config/schema';
import type { Exposure, HistoryFile } from '../rule-kit/types';

/** pgvet.json objects whose file set `schemas` itself (the parsed config fills in the default otherwise). */
const schemasSet = new WeakSet<PgvetJson>();

export function markSchemasSet(project: PgvetJson): void {
  schemasSet.add(project);
}

/**
 * The exposed schemas of a history: pgvet.json's `schemas` when the file sets it; else, for a Supabase project,
 * `[api] schemas` of its supabase/config.toml; else the default, `public`. A config.toml that cannot be read is
 * named in the source, and the default is kept.
 */
export function exposureOf(project: PgvetJson, files: ReadonlyMap<string, HistoryFile>): Exposure {
  let supabase = false;
  let api: HistoryFile['context']['supabaseApi'];
  for (const f of files.values()) {
    if (f.context.layout !== 'supabase') continue;
    supabase = true;
    api = f.context.supabaseApi;
    break;
  }
  if (schemasSet.has(project)) return { schemas: project.schemas, source: "pgvet.json's schemas", supabase };
  if (api?.schemas) return { schemas: api.schemas, source: `[api] schemas in ${api.file}`, supabase };
  const why = api?.problem ? ` (${api.problem}, so it was ignored)` : '';
  return { schemas: project.schemas, source: `the default exposed schemas${why}`, supabase };
}
