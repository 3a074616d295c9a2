-- Database roles of the production topology (docker-compose.yml), run once by the postgres
-- image's entrypoint on an empty data directory (10-roles.sh passes the psql variables).
--
--   :migrator_role  owns the application database and its schema: `prisma migrate deploy`
--   :app_role       what the API and the workers connect as: rows only (SELECT, INSERT,
--                   UPDATE, DELETE), no DDL, no other database
--   :temporal_role  Temporal's own databases (auto-setup creates them: CREATEDB)
-- The superuser of the image (POSTGRES_USER) is used by nothing after this.

CREATE ROLE :"migrator_role" LOGIN PASSWORD :'migrator_password';
CREATE ROLE :"app_role" LOGIN PASSWORD :'app_password';
CREATE ROLE :"temporal_role" LOGIN CREATEDB PASSWORD :'temporal_password';

ALTER DATABASE :"app_db" OWNER TO :"migrator_role";
REVOKE ALL ON DATABASE :"app_db" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"app_db" TO :"app_role";

\connect :"app_db"

ALTER SCHEMA public OWNER TO :"migrator_role";
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO :"app_role";
-- Tables and sequences the migrator creates from now on: rows only for the app.
ALTER DEFAULT PRIVILEGES FOR ROLE :"migrator_role" IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app_role";
ALTER DEFAULT PRIVILEGES FOR ROLE :"migrator_role" IN SCHEMA public
  GRANT USAGE, SELECT ON SEQUENCES TO :"app_role";
