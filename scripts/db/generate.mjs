#!/usr/bin/env node
// Generates both Prisma clients (SQLite and PostgreSQL) into lib/generated/, offline. Runs as `postinstall`,
// so `npm ci` leaves a working checkout; the generated code is not committed.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { writeFileSync, readFileSync, mkdirSync } from 'node:fs';
import { derivePostgresSchema, DERIVED, SOURCE } from './derive-schemas.mjs';
import { findPrismaCli, runPrisma } from './prisma.mjs';
import { root } from './database-url.mjs';

if (!existsSync(SOURCE)) {
  console.log('generate: no prisma/schema.prisma, nothing to do');
  process.exit(0);
}
const derived = derivePostgresSchema(readFileSync(SOURCE, 'utf8'));
if (!existsSync(DERIVED) || readFileSync(DERIVED, 'utf8') !== derived) {
  mkdirSync(path.dirname(DERIVED), { recursive: true });
  writeFileSync(DERIVED, derived);
  console.log('generate: refreshed prisma/postgres/schema.prisma');
}
if (!findPrismaCli()) {
  // A production install without dev dependencies: the clients come from the build stage.
  console.warn('generate: Prisma CLI not installed (dev dependency), skipping client generation');
  process.exit(0);
}
for (const [schema, url] of [
  ['prisma/schema.prisma', 'file:./data/app.db'],
  ['prisma/postgres/schema.prisma', 'postgresql://localhost/unused'],
]) {
  // DATABASE_URL only steers prisma.config.ts to the matching schema; generate never connects.
  const status = runPrisma(['generate', '--schema', schema], {
    env: { ...process.env, DATABASE_URL: url },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (status !== 0) {
    console.error(`generate: prisma generate failed for ${schema}`);
    process.exit(status);
  }
}
console.log(
  `generate: Prisma clients written to ${path.relative(process.cwd(), path.join(root, 'lib/generated')) || 'lib/generated'}/{sqlite,postgres}`,
);
