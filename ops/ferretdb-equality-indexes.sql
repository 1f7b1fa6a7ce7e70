-- Equality filters served by indexes on FerretDB 1.24 with its PostgreSQL backend.
--
-- Why: FerretDB sends each top-level equality of a filter to PostgreSQL as
-- `_jsonb -> 'field' @> value`. The btree indexes it builds for the indexes the product declares
-- (`((_jsonb -> 'field'))`) cannot serve `@>`, so every filter, `_id` included, scans its
-- table. A GIN index on the same expression can. For each btree index FerretDB creates, this adds
-- a GIN index on every field the index names: now through an event trigger, and for the indexes
-- that already exist. `plan_cache_mode = force_custom_plan` keeps a connection that planned a
-- statement before such an index existed from keeping a generic plan that cannot use it.
--
-- The GIN indexes are built without a pending list (`fastupdate = off`): with one, every
-- insert lands in a list each lookup reads whole until a vacuum merges it (measured here on
-- 53,000 people: one equality 20 ms with the list, 1 ms without). PostgreSQL's planner also
-- needs statistics (autovacuum, on by default) to know that a company's id matches all its
-- documents and an address one: without them it reads both indexes (21 ms at 53,000).
--
-- Run once per FerretDB database, as a PostgreSQL superuser (event triggers need one), then
-- restart FerretDB so its connections take the plan setting:
--   psql -v ON_ERROR_STOP=1 -d <ferretdb's database> -f ops/ferretdb-equality-indexes.sql
-- The embedded FerretDB of `npm start`, the tests and the bench runs it at every start.
-- Idempotent. Not for MongoDB, whose indexes serve equalities already.

SET client_min_messages = warning;

CREATE OR REPLACE FUNCTION ferretdb_equality_indexes_for(index_oid oid) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  definition text := pg_get_indexdef(index_oid);
  indexed regclass;
  field text;
  name text;
  gin oid;
BEGIN
  -- Only FerretDB's btree indexes on document fields; GIN ones (ours) end the recursion.
  IF definition NOT LIKE '% USING btree (%_jsonb -> %' THEN
    RETURN;
  END IF;
  SELECT indrelid::regclass INTO indexed FROM pg_index WHERE indexrelid = index_oid;
  FOR field IN SELECT DISTINCT m[1] FROM regexp_matches(definition, '_jsonb -> ''([^'']+)''::text', 'g') AS m LOOP
    name := left(split_part(indexed::text, '.', 2), 40) || '_' || left(md5(field), 8) || '_eq';
    EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %s USING gin ((_jsonb -> %L)) WITH (fastupdate = off)', name, indexed, field);
    -- One an earlier version of this file built with a pending list: none from now on, and the list merged.
    SELECT c.oid INTO gin FROM pg_class c WHERE c.relname = name AND c.relnamespace = (SELECT relnamespace FROM pg_class WHERE oid = indexed);
    IF NOT coalesce((SELECT 'fastupdate=off' = ANY (reloptions) FROM pg_class WHERE oid = gin), false) THEN
      EXECUTE format('ALTER INDEX %s SET (fastupdate = off)', gin::regclass);
      PERFORM gin_clean_pending_list(gin::regclass);
    END IF;
  END LOOP;
END;
$$;

CREATE OR REPLACE FUNCTION ferretdb_equality_indexes_trigger() RETURNS event_trigger
LANGUAGE plpgsql AS $$
DECLARE
  command record;
BEGIN
  FOR command IN SELECT objid FROM pg_event_trigger_ddl_commands() WHERE command_tag = 'CREATE INDEX' LOOP
    PERFORM ferretdb_equality_indexes_for(command.objid);
  END LOOP;
END;
$$;

DO $$
BEGIN
  CREATE EVENT TRIGGER ferretdb_equality_indexes ON ddl_command_end WHEN TAG IN ('CREATE INDEX')
    EXECUTE FUNCTION ferretdb_equality_indexes_trigger();
EXCEPTION WHEN duplicate_object THEN
  NULL; -- installed by an earlier run
END;
$$;

-- The indexes FerretDB built before the trigger existed.
DO $$
BEGIN
  PERFORM ferretdb_equality_indexes_for(i.indexrelid)
  FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
  WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'public');
END;
$$;

DO $$
BEGIN
  EXECUTE format('ALTER DATABASE %I SET plan_cache_mode = force_custom_plan', current_database());
END;
$$;
