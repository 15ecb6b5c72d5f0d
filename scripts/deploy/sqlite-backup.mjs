#!/usr/bin/env node
// Consistent SQLite copy through SQLite's online backup API (safe while the server writes, WAL included), and the
// row counts of the main tables so a restore can be verified.
//
//   node sqlite-backup.mjs backup SRC.db DEST.db     copy, print {"tables":{...}} counts of the copy
//   node sqlite-backup.mjs counts FILE.db            print the row counts
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(path.join(process.cwd(), 'noop.js'));
const Database = (() => {
  try {
    return require('better-sqlite3');
  } catch {
    return createRequire(import.meta.url)('better-sqlite3');
  }
})();

function counts(file) {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .all()
      .map((r) => r.name);
    const out = {};
    for (const t of tables)
      out[t] = db.prepare(`SELECT COUNT(*) AS n FROM "${t.replace(/"/g, '""')}"`).get().n;
    return out;
  } finally {
    db.close();
  }
}

const [cmd, src, dest] = process.argv.slice(2);
try {
  if (cmd === 'backup' && src && dest) {
    if (!existsSync(src)) throw new Error(`database file not found: ${src}`);
    const db = new Database(src, { fileMustExist: true });
    await db.backup(dest);
    db.close();
    console.log(JSON.stringify({ tables: counts(dest) }));
  } else if (cmd === 'counts' && src) {
    console.log(JSON.stringify({ tables: counts(src) }));
  } else {
    console.error('usage: sqlite-backup.mjs backup SRC.db DEST.db | counts FILE.db');
    process.exit(2);
  }
} catch (err) {
  console.error(`sqlite-backup: ${err.message}`);
  process.exit(1);
}
