import Database from 'better-sqlite3';
import type { SqlDatabase, SqlValue } from '../../ports';

/** The embedded SQLite file behind every local adapter (findings, settings, secrets, jobs). */
export function openSqlite(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  return db;
}

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
