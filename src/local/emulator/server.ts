import { createServer } from 'node:http';
import { createBitbucketEmulator, type BitbucketEmulator, type BitbucketEmulatorOptions } from './emulator';

export const MOUNT_PREFIX = '/bitbucket';

export interface RunningEmulator {
  /** `http://127.0.0.1:PORT/bitbucket`: the client's `baseUrl`. */
  baseUrl: string;
  emulator: BitbucketEmulator;
  close(): Promise<void>;
}

/** The emulator alone on an ephemeral 127.0.0.1 port, mounted at `/bitbucket` as the local host does. */
export async function startEmulatorServer(options: BitbucketEmulatorOptions = {}): Promise<RunningEmulator> {
  const emulator = createBitbucketEmulator(options);
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (url !== MOUNT_PREFIX && !url.startsWith(`${MOUNT_PREFIX}/`) && !url.startsWith(`${MOUNT_PREFIX}?`)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    emulator.handle(req, res, url.slice(MOUNT_PREFIX.length)).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(error instanceof Error ? error.message : 'emulator error');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  /** Closing twice is fine: both calls get the one close. */
  let closing: Promise<void> | undefined;
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('The emulator server has no TCP address.');
  return {
    baseUrl: `http://127.0.0.1:${address.port}${MOUNT_PREFIX}`,
    emulator,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
