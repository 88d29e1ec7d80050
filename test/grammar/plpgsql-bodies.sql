-- Dollar-quoted bodies are PL/pgSQL code, not strings.
CREATE OR REPLACE FUNCTION set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  changed boolean := false;
BEGIN
  IF TG_OP = 'UPDATE' AND NEW IS DISTINCT FROM OLD THEN
    NEW.updated_at := now();
    changed := true;
  ELSIF TG_OP = 'INSERT' THEN
    PERFORM pg_notify('rows', NEW.id::text);
  END IF;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no row %', NEW.id USING ERRCODE = 'P0002';
  END IF;
  RETURN NEW;
END;
$$;

CREATE FUNCTION tenant_rows(t uuid) RETURNS SETOF orders
AS $body$
BEGIN
  FOR r IN SELECT * FROM orders WHERE tenant_id = t LOOP
    RETURN NEXT r;
  END LOOP;
  EXECUTE format($q$SELECT count(*) FROM %I$q$, 'orders');
END
$body$ LANGUAGE plpgsql;

CREATE FUNCTION next_line() RETURNS int AS
$$
BEGIN
  RETURN 1;
END
$$ LANGUAGE plpgsql;

DO $$
BEGIN
  PERFORM 1;
END
$$;

DO LANGUAGE plpgsql $do$ BEGIN RAISE NOTICE 'hi'; END $do$;

-- Not a body: a dollar-quoted constant stays a string.
SELECT $$it's a string$$ AS s, $tag$also$tag$ AS t;
