// Creates and drops whole PostgreSQL databases (test suites, deploy rehearsals). Plain JS beside migrate.mjs.
import pg from 'pg';

const SAFE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

function checkName(name) {
  if (!SAFE_NAME.test(name))
    throw new Error(`refusing database name "${name}": use lowercase letters, digits and _`);
}

async function withClient(adminUrl, fn) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Returns the URL of the new database (the admin URL with its path replaced). */
export async function createPostgresDatabase(adminUrl, name) {
  checkName(name);
  await withClient(adminUrl, (c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropPostgresDatabase(adminUrl, name) {
  checkName(name);
  await withClient(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

export async function postgresDatabaseExists(adminUrl, name) {
  return withClient(
    adminUrl,
    async (c) => (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1,
  );
}
