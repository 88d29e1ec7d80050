/**
 * Functions whose effect reaches past pgvet's BEGIN … ROLLBACK, by name (any schema: a look-alike in
 * another schema is treated the same, which only ever asks more). Used on the statement's text and on
 * every function the server-side check finds behind views and SQL-standard function bodies.
 */

/** Refused outright: the effect outlives ROLLBACK and reaches other sessions, the server or its files. */
const REFUSED: [RegExp, string][] = [
  [/^pg_(try_)?advisory_lock(_shared)?$/, 'takes a session-level advisory lock that ROLLBACK does not release'],
  [/^pg_terminate_backend$/, 'terminates another session'],
  [/^pg_cancel_backend$/, 'cancels another session’s query'],
  [/^pg_reload_conf$/, 'reloads the server configuration'],
  [/^pg_rotate_logfile(_old)?$/, 'rotates the server log'],
  [/^pg_switch_(wal|xlog)$/, 'forces a WAL switch'],
  [/^pg_create_restore_point$/, 'writes a WAL restore point'],
  [/^pg_(create|drop|copy)_\w*replication_slot$|^pg_replication_slot_advance$/, 'changes a replication slot, which is not transactional'],
  [/^pg_stat_reset/, 'resets statistics counters, which is not transactional'],
  [/^pg_(promote|wal_replay_pause|wal_replay_resume|backup_start|backup_stop|start_backup|stop_backup)$/, 'changes the server’s recovery or backup state'],
  [/^pg_log_backend_memory_contexts$/, 'writes another session’s memory statistics to the server log'],
  [/^lo_(export|import)$/, 'reads or writes a file on the database server'],
  [/^pg_file_/, 'reads or changes a file in the server’s data directory (adminpack)'],
];

/** Confirmed, with the effect stated: the statement may have a reason to call them, but ROLLBACK does not undo what they do. */
const CONFIRMED: [RegExp, string][] = [
  [/^dblink/, 'runs SQL over another connection, which commits on its own: not rolled back'],
  [/^(query|cursor|table|schema|database)_to_xml(schema|_and_xmlschema)?$/, 'runs SQL that pgvet cannot check (a query text, or every table it names)'],
  [/^set_config$/, 'changes a server setting for the session'],
];

export function refusedFunction(name: string): string | undefined {
  return REFUSED.find(([re]) => re.test(name))?.[1];
}

export function confirmedFunction(name: string): string | undefined {
  return CONFIRMED.find(([re]) => re.test(name))?.[1];
}

/** Names of refused and confirmed families, for a scan of a function body the server stores as text. */
export function dangerousNameIn(body: string): string | undefined {
  for (const m of body.toLowerCase().matchAll(/[a-z_][a-z0-9_]*/g)) {
    if (refusedFunction(m[0]) || confirmedFunction(m[0])) return m[0];
  }
  return undefined;
}

/**
 * VOLATILE built-ins (in pg_catalog) that do nothing the ROLLBACK leaves behind or another session sees:
 * they run without asking. Transaction-level advisory locks end with the transaction; NOTIFY is only sent at COMMIT.
 */
const HARMLESS_VOLATILE = new Set([
  'random', 'random_normal', 'setseed', 'clock_timestamp', 'timeofday', 'gen_random_uuid',
  'pg_sleep', 'pg_sleep_for', 'pg_sleep_until', 'currval', 'lastval', 'pg_notify',
  'pg_advisory_xact_lock', 'pg_advisory_xact_lock_shared', 'pg_try_advisory_xact_lock', 'pg_try_advisory_xact_lock_shared',
  'pg_lock_status', 'pg_current_logfile', 'pg_stat_clear_snapshot',
]);

export function harmlessVolatile(schema: string, name: string): boolean {
  return schema === 'pg_catalog' && (HARMLESS_VOLATILE.has(name) || /^pg_stat_get_/.test(name));
}
