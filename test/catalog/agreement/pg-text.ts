/**
 * The SQL both sides of the agreement test use to print an object: the database side reads its real objects with it,
 * pgvet's side reads the scratch objects built from pgvet's texts with the same SQL (normalise.ts), so equal meaning
 * prints as equal text.
 */

/** A policy as one text: command, permissive or restrictive, sorted roles, USING and WITH CHECK as pg_get_expr prints them. */
export const POLICY_TEXT = `concat_ws(' ',
  CASE p.polcmd WHEN '*' THEN 'all' WHEN 'r' THEN 'select' WHEN 'a' THEN 'insert' WHEN 'w' THEN 'update' ELSE 'delete' END,
  CASE WHEN p.polpermissive THEN 'permissive' ELSE 'restrictive' END,
  '(' || array_to_string(ARRAY(SELECT CASE WHEN r = 0 THEN 'public' ELSE pg_get_userbyid(r)::text END FROM unnest(p.polroles) r ORDER BY 1), ',') || ')',
  'using ' || pg_get_expr(p.polqual, p.polrelid),
  'check ' || pg_get_expr(p.polwithcheck, p.polrelid))`;

/** pg_get_indexdef without the index's own name (`CREATE INDEX ON public.t USING btree (a)`): the name is compared apart. */
export const INDEX_TEXT = `replace(pg_get_indexdef(ic.oid), ' INDEX ' || quote_ident(ic.relname) || ' ON ', ' INDEX ON ')`;

/** A column's default or generation expression, as pg_get_expr prints it. */
export const DEFAULT_TEXT = 'pg_get_expr(d.adbin, d.adrelid)';
