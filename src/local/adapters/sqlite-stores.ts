import type Database from 'better-sqlite3';
import type { KeyValueStore, SecretStore } from '../../ports';
import { assertStorageKey } from '../../services/storage-keys';

/**
 * Settings and secrets in the local SQLite file. Keys obey Forge KVS's key rules so a key that
 * would fail on Forge fails here first. Secrets live in their own table, never listed or logged.
 */
export function createSqliteKeyValueStore(db: Database.Database): KeyValueStore {
  db.exec('CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
  return {
    async get<T>(key: string): Promise<T | undefined> {
      assertStorageKey(key);
      const row = db.prepare('SELECT value FROM kv WHERE key = ?').get(key) as { value: string } | undefined;
      return row ? (JSON.parse(row.value) as T) : undefined;
    },
    async set<T>(key: string, value: T): Promise<void> {
      assertStorageKey(key);
      db.prepare('INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(
        key,
        JSON.stringify(value),
      );
    },
    async delete(key: string): Promise<void> {
      assertStorageKey(key);
      db.prepare('DELETE FROM kv WHERE key = ?').run(key);
    },
  };
}

export function createSqliteSecretStore(db: Database.Database): SecretStore {
  db.exec('CREATE TABLE IF NOT EXISTS secrets (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
  return {
    async getSecret(key: string): Promise<string | undefined> {
      assertStorageKey(key);
      const row = db.prepare('SELECT value FROM secrets WHERE key = ?').get(key) as { value: string } | undefined;
      return row?.value;
    },
    async setSecret(key: string, value: string): Promise<void> {
      assertStorageKey(key);
      db.prepare('INSERT INTO secrets (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
    },
    async deleteSecret(key: string): Promise<void> {
      assertStorageKey(key);
      db.prepare('DELETE FROM secrets WHERE key = ?').run(key);
    },
  };
}
