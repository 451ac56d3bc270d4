/**
 * Once per `npm test`: names this run's PostgreSQL schemas, and drops them all at the end.
 *
 * Schemas are not dropped while tests run: Kysely's migrator introspects every schema in the
 * database (`has_schema_privilege` on each), so a schema another test file drops at that moment
 * fails the migration with "schema … does not exist" — a CI run failed exactly that way.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export default function setup(): () => Promise<void> {
  const run = randomBytes(4).toString('hex');
  // Forked test workers inherit the environment: their schemas carry this run's name.
  process.env.TILLSAFE_TEST_RUN = run;
  return async () => {
    const url = process.env.TEST_DATABASE_URL;
    if (!url) return;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ nspname: string }>(
        'select nspname from pg_namespace where nspname like $1',
        [`t\\_${run}\\_%`],
      );
      for (const { nspname } of rows) await client.query(`drop schema if exists ${nspname} cascade`);
    } finally {
      await client.end();
    }
  };
}
