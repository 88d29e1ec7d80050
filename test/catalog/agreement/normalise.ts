import type { Client } from 'pg';

/**
 * Puts pgvet's texts (defaults, CHECKs, index keys and predicates, policy clauses) through PostgreSQL, so that what is
 * compared is their meaning, not their formatting: each item runs its `setup` on the real database (SET DEFAULT on the
 * real column, a scratch index, constraint or policy beside the real ones), reads back what pg_catalog prints for it,
 * and is rolled back. One round trip for all items; each item in its own subtransaction, so one that PostgreSQL
 * rejects (pgvet's text does not parse, or names something that does not exist) yields `error: …` and the rest go on.
 */
export interface NormaliseItem {
  key: string;
  /** One statement that creates or changes the scratch object. */
  setup: string;
  /** One query returning one text column: what PostgreSQL prints for it (NULL reads as `none`). */
  read: string;
}

/** The name scratch objects take; no real object in the corpus has it. */
export const SCRATCH = 'pgvet_scratch';

const FUNCTION = `
CREATE OR REPLACE FUNCTION pg_temp.pgvet_normalise(items jsonb) RETURNS TABLE (key text, result text) LANGUAGE plpgsql AS $fn$
DECLARE
  item jsonb;
  r text;
BEGIN
  FOR item IN SELECT value FROM jsonb_array_elements(items) LOOP
    key := item->>'key';
    r := NULL;
    BEGIN
      EXECUTE item->>'setup';
      EXECUTE item->>'read' INTO r;
      RAISE EXCEPTION 'roll back' USING ERRCODE = 'PV001';
    EXCEPTION
      WHEN SQLSTATE 'PV001' THEN result := coalesce(r, 'none');
      WHEN OTHERS THEN result := 'error: ' || SQLERRM;
    END;
    RETURN NEXT;
  END LOOP;
END
$fn$`;

/** Runs every item; the map holds each key's text as PostgreSQL prints it. */
export async function normaliseThroughPostgres(client: Client, items: NormaliseItem[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (items.length === 0) return out;
  await client.query(FUNCTION);
  const res = await client.query('SELECT key, result FROM pg_temp.pgvet_normalise($1::jsonb)', [JSON.stringify(items)]);
  for (const row of res.rows) out.set(row.key, row.result);
  return out;
}

/** `"schema"."name"`, always quoted: safe for SQL text and for a regclass literal. */
export function rel(schema: string, name: string): string {
  return `${ident(schema)}.${ident(name)}`;
}

export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
