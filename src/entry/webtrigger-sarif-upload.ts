import type { Deps } from '../services/deps';
import { getScanStatus, ingestUpload } from '../services/upload/ingest-upload';
import { AppError } from '../domain/errors';
import { errorResponse, json, workspaceFromInstallContext, type WebTriggerResponse } from './http-errors';

/** Forge's web trigger request (`@forge/api` WebTriggerRequest): header names arrive lower-cased, values as arrays. */
export interface WebTriggerRequest {
  method: string;
  body?: string;
  path?: string;
  headers: Record<string, string[] | undefined>;
  queryParameters: Record<string, string[] | undefined>;
}

export interface WebTriggerContext {
  installContext?: string;
}

const header = (request: WebTriggerRequest, name: string): string | undefined => {
  const entry = Object.entries(request.headers).find(([key]) => key.toLowerCase() === name);
  return entry?.[1]?.[0];
};
const query = (request: WebTriggerRequest, name: string): string | undefined => request.queryParameters[name]?.[0];

function bearer(request: WebTriggerRequest): string | undefined {
  const value = header(request, 'authorization');
  const match = /^Bearer\s+(\S+)\s*$/i.exec(value ?? '');
  return match?.[1];
}

/**
 * `sarif-upload`: POST a SARIF file for a repository and commit (202 with the scan id), or GET
 * `?scan=<id>` for its progress. Thin: read the request, call one service, map the answer.
 */
export function makeSarifUploadHandler(getDeps: () => Promise<Deps>) {
  return async (request: WebTriggerRequest, context: WebTriggerContext): Promise<WebTriggerResponse> => {
    const deps = await getDeps();
    try {
      const method = request.method.toUpperCase();
      if (method === 'GET') {
        const scanId = query(request, 'scan');
        if (!scanId) throw new AppError('bad_request', 'GET needs ?scan=<scanId> (returned by the upload).');
        return json(200, await getScanStatus(deps, bearer(request), scanId));
      }
      if (method !== 'POST') {
        return json(405, { error: { code: 'method_not_allowed', message: `${method} is not supported: POST a SARIF file, or GET ?scan=<scanId>.` } });
      }
      const contentType = (header(request, 'content-type') ?? 'application/json').split(';')[0]?.trim().toLowerCase();
      if (contentType && !['application/json', 'application/sarif+json', 'application/octet-stream', 'application/gzip', 'text/plain'].includes(contentType)) {
        throw new AppError('unsupported_encoding', `Content-Type "${contentType}" is not supported: send application/json or application/sarif+json.`);
      }
      const accepted = await ingestUpload(deps, {
        bearerToken: bearer(request),
        repository: query(request, 'repository'),
        commit: query(request, 'commit'),
        branch: query(request, 'branch'),
        category: query(request, 'category'),
        pullRequest: query(request, 'pullRequest'),
        body: request.body ?? '',
        contentEncoding: header(request, 'content-encoding'),
        installWorkspaceId: workspaceFromInstallContext(context.installContext),
      });
      return json(202, accepted);
    } catch (error) {
      return errorResponse(error, deps.logger);
    }
  };
}
