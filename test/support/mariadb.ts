/**
 * A private MariaDB server for the storage tests: the real MySQL dialect behind the Forge SQL
 * adapter. It runs from a fresh temporary data directory on a unix socket (no TCP port, no system
 * service, nothing shared between test files), configured like Forge SQL's TiDB where it matters:
 * utf8mb4 with binary collation and TiDB's default SQL mode. `stop()` ends it and removes its files.
 *
 * When `mariadbd` is not installed the caller gets `undefined` and a reason to print, so a
 * developer's `npm test` skips those tests; with `CI=true` a missing server is an error instead.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection, type Connection } from 'mysql2/promise';
import { SqlClient, SQL_API_ENDPOINTS } from '@forge/sql/out/sql';
import { MigrationRunner } from '@forge/sql/out/migration';
import { forgeSqlDatabase } from '../../src/forge/adapters';
import type { SqlDatabase } from '../../src/ports';

export interface MariaDbServer {
  /** Connects to the test database, or `database` (`multipleStatements` off: Forge SQL runs one statement a query). */
  connect(database?: string): Promise<Connection>;
  /** A new empty database on the same server, for a test that needs a clean schema. */
  createDatabase(name: string): Promise<void>;
  readonly version: string;
  stop(): Promise<void>;
}

const SERVER_CANDIDATES = ['/usr/sbin/mariadbd', '/usr/sbin/mysqld', '/usr/bin/mariadbd'];
const INSTALL_CANDIDATES = ['/usr/bin/mariadb-install-db', '/usr/bin/mysql_install_db'];

/** TiDB's default SQL mode (Forge SQL), which MariaDB understands as well. */
const TIDB_SQL_MODE =
  'ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION';

export const MARIADB_MISSING =
  'MariaDB is not installed, so the storage tests ran on SQLite only. Install it with `apt-get install mariadb-server` ' +
  '(the tests start their own server; no service needs to run). With CI=true these tests fail instead of skipping.';

const find = (candidates: readonly string[]): string | undefined => candidates.find((path) => existsSync(path));

/**
 * Starts a server, or answers why not. Throws when the server is missing under `CI=true`, or when
 * it is installed but will not start (a broken installation is never silently skipped).
 */
export async function startMariaDb(database = 'remediate_test'): Promise<{ server: MariaDbServer } | { skip: string }> {
  const server = find(SERVER_CANDIDATES);
  const install = find(INSTALL_CANDIDATES);
  if (!server || !install) {
    if (process.env.CI === 'true' || process.env.CI === '1') throw new Error(`CI=true but ${MARIADB_MISSING}`);
    return { skip: MARIADB_MISSING };
  }
  const dir = mkdtempSync(join(tmpdir(), 'remediate-mariadb-'));
  const dataDir = join(dir, 'data');
  const socketPath = join(dir, 'mysqld.sock');
  // Each server keeps its temporary tables in its own folder: several test files start servers at
  // once, and in a shared /tmp one bootstrap failed deleting a `#sql-temptable-*` file.
  const tmpDir = join(dir, 'tmp');
  mkdirSync(tmpDir);
  const asRoot = process.getuid?.() === 0 ? ['--user=root'] : [];
  const initialised = spawnSync(
    install,
    ['--no-defaults', `--datadir=${dataDir}`, `--tmpdir=${tmpDir}`, '--auth-root-authentication-method=normal', '--skip-test-db', ...asRoot],
    { encoding: 'utf8' },
  );
  if (initialised.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`mariadb-install-db failed (${initialised.status}): ${initialised.stderr || initialised.stdout}`);
  }
  const child = spawn(
    server,
    [
      '--no-defaults', ...asRoot, `--datadir=${dataDir}`, `--tmpdir=${tmpDir}`, `--socket=${socketPath}`, '--skip-networking',
      `--pid-file=${join(dir, 'mysqld.pid')}`, `--log-error=${join(dir, 'error.log')}`,
      '--character-set-server=utf8mb4', '--collation-server=utf8mb4_bin', `--sql-mode=${TIDB_SQL_MODE}`,
      '--innodb-buffer-pool-size=32M', '--skip-log-bin', '--max-allowed-packet=16M',
    ],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // If the test process ends without `stop()` (a crash, a timeout), the server must not outlive it.
  const orphaned = () => {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', orphaned);
  const cleanUp = async () => {
    process.removeListener('exit', orphaned);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const root = await waitForSocket(child, socketPath, join(dir, 'error.log'));
    await root.query(`CREATE DATABASE ${database}`);
    const [rows] = await root.query('SELECT VERSION() AS version');
    await root.end();
    const version = String((rows as { version: string }[])[0]?.version ?? 'unknown');
    return {
      server: {
        version,
        connect: (name = database) => createConnection({ socketPath, user: 'root', database: name }),
        async createDatabase(name) {
          const connection = await createConnection({ socketPath, user: 'root' });
          try {
            await connection.query(`CREATE DATABASE ${name}`);
          } finally {
            await connection.end();
          }
        },
        stop: cleanUp,
      },
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

async function waitForSocket(child: ChildProcess, socketPath: string, errorLog: string): Promise<Connection> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`mariadbd exited while starting: ${readLog(errorLog)}`);
    }
    if (existsSync(socketPath)) {
      try {
        return await createConnection({ socketPath, user: 'root' });
      } catch {
        // the socket appears a moment before the server accepts connections
      }
    }
    if (Date.now() > deadline) throw new Error(`mariadbd did not start within 60 s: ${readLog(errorLog)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const readLog = (path: string): string => (existsSync(path) ? readFileSync(path, 'utf8').slice(-2000) : 'no error log');

/** Forge SQL's documented request and response limits (developer.atlassian.com/platform/forge/limits-sql). */
export const FORGE_SQL_LIMITS = { requestBytes: 1024 * 1024, responseBytes: 4 * 1024 * 1024 } as const;

/**
 * The app's Forge SQL adapter (`forgeSqlDatabase`) over a real `@forge/sql` `SqlClient` and
 * `MigrationRunner`, whose HTTP request to the Forge SQL service is answered by MariaDB instead:
 * the app's statements and parameters cross the same JSON request body they cross on Forge, and
 * requests or responses over Forge's size limits are refused the way the service refuses them.
 * `sent` records every request (endpoint, statement, parameter count and body size); pass one
 * array to several connections to see them all.
 */
export type SentRequest = { endpoint: string; query: string; params: number; bytes: number };

export function forgeSqlOverMariaDb(connection: Connection, sent: SentRequest[] = []): { db: SqlDatabase; sent: SentRequest[] } {
  const client = new SqlClient();
  const answer = (status: number, body: unknown) => {
    const text = JSON.stringify(body);
    return { ok: status < 300, status, statusText: status < 300 ? 'OK' : 'Bad Request', headers: new Headers(), text: async () => text };
  };
  const sendRequest = async (endpoint: string, options: { body: string }) => {
    const { query, params } = JSON.parse(options.body) as { query: string; params: unknown[] };
    const bytes = Buffer.byteLength(options.body);
    sent.push({ endpoint, query, params: params.length, bytes });
    if (bytes > FORGE_SQL_LIMITS.requestBytes) {
      return answer(413, { code: 'REQUEST_TOO_LARGE', message: `Forge SQL request of ${bytes} bytes exceeds 1 MiB` });
    }
    try {
      const [rows] = endpoint === SQL_API_ENDPOINTS.EXECUTE_DDL
        ? await connection.query(query)
        : await connection.execute(query, params as (string | number | null)[]);
      const body = { rows };
      if (Buffer.byteLength(JSON.stringify(body)) > FORGE_SQL_LIMITS.responseBytes) {
        return answer(400, { code: 'SQL_EXECUTION_ERROR', message: 'Forge SQL response exceeds 4 MiB' });
      }
      return answer(200, body);
    } catch (error) {
      return answer(400, { code: 'SQL_EXECUTION_ERROR', message: (error as Error).message });
    }
  };
  // `sendRequest` is the one place `@forge/sql` talks to the platform; everything above it is the real package.
  Object.assign(client, { sendRequest });
  return { db: forgeSqlDatabase(client, new MigrationRunner(client)), sent };
}
