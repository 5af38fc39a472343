/**
 * The two SQL backends the storage tests run on: SQLite through the local adapter (what
 * `npm start` uses) and MariaDB through the Forge SQL adapter (the statements Forge SQL receives).
 * Each backend hands out databases with every migration applied, and extra connections to the
 * same database for concurrency tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from 'mysql2/promise';
import { createSqliteDatabase, openSqlite } from '../../src/local/adapters/sqlite-database';
import { migrations } from '../../src/storage/migrations';
import type { SqlDatabase } from '../../src/ports';
import { forgeSqlOverMariaDb, startMariaDb, type MariaDbServer, type SentRequest } from './mariadb';

export interface StorageBackend {
  readonly name: 'sqlite' | 'mariadb';
  /** A migrated database shared by the tests of a file (tests keep apart by repository uuid). */
  readonly db: SqlDatabase;
  /** Another connection to `db`'s database, as a second queue consumer would have. */
  connectAgain(): Promise<SqlDatabase>;
  /** A new empty database, not yet migrated. */
  emptyDatabase(): Promise<SqlDatabase>;
  /** Every request the Forge SQL adapter sent (MariaDB only; SQLite has no request). */
  readonly requests: SentRequest[];
  close(): Promise<void>;
}

export async function sqliteBackend(): Promise<StorageBackend> {
  const dir = mkdtempSync(join(tmpdir(), 'remediate-sqlite-'));
  const handles = [openSqlite(join(dir, 'main.db'))];
  const db = createSqliteDatabase(handles[0]!);
  await db.migrate(migrations);
  let databases = 0;
  return {
    name: 'sqlite',
    db,
    requests: [],
    async connectAgain() {
      const handle = openSqlite(join(dir, 'main.db'));
      handles.push(handle);
      return createSqliteDatabase(handle);
    },
    async emptyDatabase() {
      const handle = openSqlite(join(dir, `empty-${(databases += 1)}.db`));
      handles.push(handle);
      return createSqliteDatabase(handle);
    },
    async close() {
      for (const handle of handles) handle.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** MariaDB when installed; otherwise the reason the MariaDB half is skipped (an error under CI=true). */
export async function mariaDbBackend(): Promise<StorageBackend | { skip: string }> {
  const started = await startMariaDb();
  if ('skip' in started) return started;
  const server: MariaDbServer = started.server;
  const connections: Connection[] = [];
  const requests: SentRequest[] = [];
  const open = async (database?: string) => {
    const connection = await server.connect(database);
    connections.push(connection);
    return forgeSqlOverMariaDb(connection, requests).db;
  };
  try {
    const db = await open();
    await db.migrate(migrations);
    let databases = 0;
    return {
      name: 'mariadb',
      db,
      requests,
      connectAgain: () => open(),
      async emptyDatabase() {
        const name = `remediate_empty_${(databases += 1)}`;
        await server.createDatabase(name);
        return open(name);
      },
      async close() {
        for (const connection of connections) await connection.end();
        await server.stop();
      },
    };
  } catch (error) {
    for (const connection of connections) await connection.end().catch(() => undefined);
    await server.stop();
    throw error;
  }
}
