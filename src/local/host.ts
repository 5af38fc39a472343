import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { createBitbucketEmulator, type BitbucketEmulator } from './emulator';
import { createUiRoutes } from './ui';
import { consoleLogger, createLocalApp, type LocalApp } from './compose';
import { BodyTooLarge, readBody, sendJson, sendWebTriggerResponse, toWebTriggerRequest } from './http-bridge';
import { emulatorDirectory } from './emulator-directory';
import { seedDemo, type DemoResult } from './demo-seed';
import { startPullRequestTriggers, type LocalPullRequestTriggers } from './pull-request-triggers';

export const APP_TOKEN = 'local-forge-app';
export const projectDir = fileURLToPath(new URL('../..', import.meta.url));

export interface LocalHostOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  dataDir: string;
  /** Seed the demo workspace, repository, settings and scan when the data dir is new. */
  seedDemo?: boolean;
  quiet?: boolean;
  /** Seconds between scheduled reconcile runs; 0 or unset: no timer (tests run it when they ask). */
  reconcileIntervalSeconds?: number;
  /** Seconds an upload waits for the other uploads of its commit before it is processed (default 0). */
  uploadSettleSeconds?: number;
}

export interface LocalHost {
  url: string;
  app: LocalApp;
  emulator: BitbucketEmulator;
  demo?: DemoResult;
  /** The local pull-request event trigger (fed by the emulator) and the reconcile timer. */
  pullRequestTriggers: LocalPullRequestTriggers;
  close(): Promise<void>;
}

const invokeSchema = z.object({
  functionKey: z.string().min(1).max(100),
  payload: z.unknown().optional(),
  context: z.record(z.string(), z.unknown()).default({}),
});

/** `POST /forge/invoke`: what the bridge shim calls; runs the real resolver as Forge would. */
async function handleInvoke(app: LocalApp, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let parsed: z.infer<typeof invokeSchema>;
  try {
    // Forge caps an invoke request at 500 KB.
    const body = await readBody(req, 500 * 1024);
    const result = invokeSchema.safeParse(JSON.parse(body.toString('utf8')));
    if (!result.success) throw new Error(result.error.issues[0]?.message ?? 'invalid');
    parsed = result.data;
  } catch (error) {
    const tooLarge = error instanceof BodyTooLarge;
    sendJson(res, tooLarge ? 413 : 400, {
      ok: false,
      error: { code: 'bad_request', message: tooLarge ? 'Invoke payloads are limited to 500 KB.' : 'Body must be JSON {functionKey, payload, context}.' },
    });
    return;
  }
  const accountId = typeof parsed.context.accountId === 'string' ? parsed.context.accountId : undefined;
  const result = await app.resolver(
    { call: { functionKey: parsed.functionKey, payload: parsed.payload ?? {} }, context: parsed.context },
    accountId ? { principal: { accountId } } : {},
  );
  sendJson(res, 200, result);
}

/**
 * The local host: one port serving the two Custom UI pages (with the bridge shim), the resolver
 * and web trigger endpoints, and the embedded Bitbucket Cloud emulator (ARCHITECTURE §4.2).
 */
export async function startLocalHost(options: LocalHostOptions): Promise<LocalHost> {
  const logger = consoleLogger(options.quiet ?? false);
  let route: (req: IncomingMessage, res: ServerResponse) => Promise<void> = async (_req, res) =>
    sendJson(res, 503, { ok: false, error: 'starting' });
  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      logger.error('Request failed', { path: req.url?.split('?')[0] ?? '', error: error instanceof Error ? error.message : String(error) });
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'server_error', message: 'Internal error; see the host log.' } });
      else res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 8080, options.host ?? '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  const url = `http://${options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1'}:${address.port}`;
  const bitbucketBaseUrl = `${url}/bitbucket`;

  let triggers: LocalPullRequestTriggers | undefined;
  let app: LocalApp | undefined;
  const emulator = createBitbucketEmulator({
    stateFile: join(options.dataDir, 'bitbucket-emulator.json'),
    publicBaseUrl: bitbucketBaseUrl,
    appToken: APP_TOKEN,
    // Bitbucket tells an installed app about merged and declined pull requests; so does the emulator.
    onPullRequestEvent: (event) => triggers?.deliver(event),
    // Where a repository made the app's merge check Required, the emulator runs the same handler Forge calls.
    runMergeCheck: async (event) => {
      if (!app) throw new Error('the app is still starting');
      return app.mergeCheck(event, {});
    },
  });
  app = await createLocalApp({
    dataDir: options.dataDir, bitbucketBaseUrl, publicUrl: url, appToken: APP_TOKEN, logger,
    ...(options.uploadSettleSeconds ? { uploadSettleSeconds: options.uploadSettleSeconds } : {}),
  });
  triggers = startPullRequestTriggers(app, logger, { reconcileIntervalSeconds: options.reconcileIntervalSeconds ?? 0 });
  const pullRequestTriggers = triggers;
  const directory = emulatorDirectory(emulator);
  const ui = createUiRoutes({ projectDir, resolveContext: directory.resolveContext, listTargets: directory.listTargets });
  let ready = false;

  route = async (req, res) => {
    const requestUrl = new URL(req.url ?? '/', url);
    const path = requestUrl.pathname;
    if (path === '/healthz') return sendJson(res, ready ? 200 : 503, { ok: ready });
    if (path.startsWith('/bitbucket/')) return emulator.handle(req, res, (req.url ?? '').slice('/bitbucket'.length));
    if (path === '/forge/invoke' && req.method === 'POST') return handleInvoke(app, req, res);
    const trigger = /^\/forge\/webtrigger\/([a-z0-9-]+)$/.exec(path);
    if (trigger) {
      if (trigger[1] !== 'sarif-upload') return sendJson(res, 404, { error: { code: 'not_found', message: `No web trigger "${trigger[1]}".` } });
      let request;
      try {
        request = await toWebTriggerRequest(req, requestUrl);
      } catch (error) {
        if (!(error instanceof BodyTooLarge)) throw error;
        return sendJson(res, 413, { error: { code: 'payload_too_large', message: 'The upload is larger than 5 MB; gzip it (Content-Encoding: gzip).' } });
      }
      return sendWebTriggerResponse(res, await app.sarifUpload(request, {}));
    }
    if (await ui(req, res, requestUrl)) return;
    sendJson(res, 404, { error: { code: 'not_found', message: `Nothing at ${path}.` } });
  };

  let demo: DemoResult | undefined;
  if (options.seedDemo) demo = await seedDemo({ url, app, emulator, logger, projectDir });
  ready = true;
  return {
    url,
    app,
    emulator,
    ...(demo ? { demo } : {}),
    pullRequestTriggers,
    async close() {
      await pullRequestTriggers.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await app.close();
    },
  };
}
