import Database from 'better-sqlite3';
import type { SqlDatabase, SqlValue } from '../../ports';
import { StartupError } from '../startup-error';

/**
 * The embedded SQLite file behind every local adapter (findings, settings, secrets, jobs). Runs
 * SQLite's `PRAGMA quick_check` on open: a damaged file is a `StartupError` naming it (with SQLite's
 * own words, which never quote stored data), not a stack trace halfway through a migration.
 */
export function openSqlite(file: string): Database.Database {
  let db: Database.Database | undefined;
  try {
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    const problems = (db.pragma('quick_check(3)') as { quick_check: string }[]).map((row) => row.quick_check).filter((line) => line !== 'ok');
    if (problems.length > 0) throw new StartupError(file, `is a damaged SQLite database (quick_check: ${oneLine(problems[0]!)})`);
    return db;
  } catch (error) {
    db?.close();
    if (error instanceof StartupError) throw error;
    throw new StartupError(file, `cannot be opened as a SQLite database (${oneLine(error instanceof Error ? error.message : String(error))})`);
  }
}

const oneLine = (text: string): string => text.replace(/\s+/g, ' ').slice(0, 200);

/** `SqlDatabase` over better-sqlite3: the local stand-in for Forge SQL, with the same one-statement API. */
export function createSqliteDatabase(db: Database.Database): SqlDatabase {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, migrated_at TEXT NOT NULL)');
  return {
    dialect: 'sqlite',
    async query<Row extends object>(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
      return db.prepare(sql).all(...params) as Row[];
    },
    async execute(sql: string, params: readonly SqlValue[] = []): Promise<{ affectedRows: number }> {
      return { affectedRows: db.prepare(sql).run(...params).changes };
    },
    async migrate(migrations): Promise<void> {
      const done = new Set(
        (db.prepare('SELECT name FROM schema_migrations').all() as { name: string }[]).map((row) => row.name),
      );
      for (const migration of migrations) {
        if (done.has(migration.name)) continue;
        db.transaction(() => {
          db.exec(migration.statement);
          db.prepare('INSERT INTO schema_migrations (name, migrated_at) VALUES (?, ?)').run(migration.name, new Date().toISOString());
        })();
      }
    },
  };
}
