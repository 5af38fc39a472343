import { z } from 'zod';
import type { RequestLogEntry } from './admin';
import type { FaultConfig } from './faults';

/** Typed calls to the emulator's `/_admin` routes over HTTP, for tests, seeding and demos. */

export interface EmulatorUserInput {
  username: string;
  email: string;
  token: string;
  displayName?: string;
  scopes: string[];
  workspaces: Record<string, 'owner' | 'member'>;
}

export type EmulatorFile = string | { content: string; executable?: boolean };

export interface EmulatorAdmin {
  addUser(user: EmulatorUserInput): Promise<{ account_id: string; uuid: string }>;
  /** Creates the repository with one commit of `files`, or adds a commit of `files` to its main branch. */
  addRepository(workspace: string, repo: string, body: { files: Record<string, EmulatorFile>; mainbranch?: string }): Promise<{ uuid: string; commit: string }>;
  mergePullRequest(workspace: string, repo: string, id: number): Promise<unknown>;
  setFaults(config: FaultConfig): Promise<void>;
  clearFaults(): Promise<void>;
  /** Bitbucket's hourly per-user limit on `/2.0/repositories/*` (default 1,000); resets the counts. */
  setRateLimit(perHour: number): Promise<void>;
  requests(): Promise<RequestLogEntry[]>;
  clearRequests(): Promise<void>;
}

const requestLogSchema = z.array(
  z.object({ method: z.string(), path: z.string(), status: z.number(), user: z.string().nullable() }),
);

/** The six scopes Remediate asks for. */
export const ALL_APP_SCOPES = [
  'read:user:bitbucket',
  'read:workspace:bitbucket',
  'read:repository:bitbucket',
  'write:repository:bitbucket',
  'read:pullrequest:bitbucket',
  'write:pullrequest:bitbucket',
];

/** `baseUrl` is the emulator's mount point, e.g. `http://127.0.0.1:8080/bitbucket`. */
export function emulatorAdmin(baseUrl: string): EmulatorAdmin {
  const call = async <S extends z.ZodType>(method: string, path: string, schema: S, body?: unknown): Promise<z.infer<S>> => {
    const response = await fetch(`${baseUrl.replace(/\/+$/, '')}/_admin${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`Emulator admin ${method} ${path} failed: HTTP ${response.status} ${text}`);
    return schema.parse(text === '' ? undefined : JSON.parse(text));
  };
  const repoPath = (workspace: string, repo: string) => `/repositories/${encodeURIComponent(workspace)}/${encodeURIComponent(repo)}`;
  const nothing = z.unknown().transform(() => undefined);
  return {
    addUser: (user) => call('POST', '/users', z.object({ account_id: z.string(), uuid: z.string() }), user),
    addRepository: (workspace, repo, body) => call('POST', repoPath(workspace, repo), z.object({ uuid: z.string(), commit: z.string() }), body),
    mergePullRequest: (workspace, repo, id) => call('POST', `${repoPath(workspace, repo)}/pullrequests/${id}/merge`, z.unknown()),
    setFaults: (config) => call('POST', '/faults', nothing, config),
    clearFaults: () => call('DELETE', '/faults', nothing),
    setRateLimit: (perHour) => call('POST', '/rate-limit', nothing, { perHour }),
    requests: () => call('GET', '/requests', requestLogSchema),
    clearRequests: () => call('DELETE', '/requests', nothing),
  };
}
