import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { badRequest, empty, errorReply, json, page, parseJsonBody, type Reply } from './http-io';
import type { ReportRecord } from './model';
import { commitOrReply } from './routes-source';
import { repoRoute, type RepoContext, type Route } from './router';

/** Code Insights reports and annotations (≤ 100 annotations per POST, ≤ 1,000 per report). */

export const ANNOTATIONS_PER_POST = 100;
export const ANNOTATIONS_PER_REPORT = 1000;

const reportBody = z.looseObject({
  title: z.string().min(1),
  details: z.string().optional(),
  report_type: z.enum(['SECURITY', 'COVERAGE', 'TEST', 'BUG']),
  reporter: z.string().optional(),
  result: z.enum(['PASSED', 'FAILED', 'PENDING']).optional(),
  link: z.string().optional(),
  logo_url: z.string().optional(),
  remote_link_enabled: z.boolean().optional(),
  data: z
    .array(
      z.object({
        title: z.string().optional(),
        type: z.enum(['BOOLEAN', 'DATE', 'DURATION', 'LINK', 'NUMBER', 'PERCENTAGE', 'TEXT']),
        value: z.unknown(),
      }),
    )
    .max(10)
    .optional(),
});

const annotationBody = z.looseObject({
  external_id: z.string().min(1),
  annotation_type: z.enum(['VULNERABILITY', 'CODE_SMELL', 'BUG']),
  summary: z.string().min(1),
  details: z.string().optional(),
  severity: z.enum(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW']).optional(),
  result: z.enum(['PASSED', 'FAILED', 'IGNORED', 'SKIPPED']).optional(),
  path: z.string().optional(),
  line: z.number().int().min(0).optional(),
  link: z.string().optional(),
});

const annotationsBody = z.array(annotationBody);

/** The report's commit (resolved to a full hash) and report, or an error reply. */
function locate({ repo, params }: RepoContext): { hash: string; record: ReportRecord | undefined } | Reply {
  const commit = commitOrReply(repo, params.commit ?? '');
  if ('status' in commit) return commit;
  return { hash: commit.hash, record: repo.reports[commit.hash]?.[params.report ?? ''] };
}

function putReport(ctx: RepoContext): Reply {
  const found = locate(ctx);
  if ('status' in found) return found;
  const parsed = parseJsonBody(ctx.req, reportBody);
  if ('reply' in parsed) return parsed.reply;
  const reportId = ctx.params.report ?? '';
  const time = new Date().toISOString();
  const report = {
    ...parsed.data,
    type: 'report',
    uuid: (found.record?.report.uuid as string | undefined) ?? `{${randomUUID()}}`,
    external_id: reportId,
    commit_hash: found.hash,
    created_on: (found.record?.report.created_on as string | undefined) ?? time,
    updated_on: time,
  };
  const reports = (ctx.repo.reports[found.hash] ??= {});
  reports[reportId] = { report, annotations: found.record?.annotations ?? [] };
  return json(200, report);
}

function addAnnotations(ctx: RepoContext): Reply {
  const found = locate(ctx);
  if ('status' in found) return found;
  if (!found.record) return errorReply(404, `Report not found: ${ctx.params.report}`);
  const parsed = parseJsonBody(ctx.req, annotationsBody);
  if ('reply' in parsed) return parsed.reply;
  if (parsed.data.length > ANNOTATIONS_PER_POST) {
    return badRequest(`You can upload up to ${ANNOTATIONS_PER_POST} annotations per request; got ${parsed.data.length}.`);
  }
  const stored = found.record.annotations;
  const byId = new Map(stored.map((annotation) => [annotation.external_id, annotation]));
  const added = parsed.data.filter((annotation) => !byId.has(annotation.external_id)).length;
  if (stored.length + added > ANNOTATIONS_PER_REPORT) {
    return badRequest(`A report can contain up to ${ANNOTATIONS_PER_REPORT} annotations.`);
  }
  const time = new Date().toISOString();
  const result = parsed.data.map((annotation) => {
    const previous = byId.get(annotation.external_id);
    const document = {
      ...annotation,
      type: 'report_annotation',
      uuid: previous?.uuid ?? `{${randomUUID()}}`,
      created_on: previous?.created_on ?? time,
      updated_on: time,
    };
    if (previous) stored[stored.indexOf(previous)] = document;
    else stored.push(document);
    byId.set(annotation.external_id, document);
    return document;
  });
  return json(200, result);
}

export const insightsRoutes: Route[] = [
  repoRoute('GET', '/commit/:commit/reports', 'read:repository:bitbucket', (ctx) => {
    const found = locate(ctx);
    if ('status' in found) return found;
    return page(ctx.req, Object.values(ctx.repo.reports[found.hash] ?? {}), (record) => record.report);
  }),
  repoRoute('PUT', '/commit/:commit/reports/:report', 'read:repository:bitbucket', putReport),
  repoRoute('GET', '/commit/:commit/reports/:report', 'read:repository:bitbucket', (ctx) => {
    const found = locate(ctx);
    if ('status' in found) return found;
    return found.record ? json(200, found.record.report) : errorReply(404, `Report not found: ${ctx.params.report}`);
  }),
  repoRoute('DELETE', '/commit/:commit/reports/:report', 'read:repository:bitbucket', (ctx) => {
    const found = locate(ctx);
    if ('status' in found) return found;
    if (!found.record) return errorReply(404, `Report not found: ${ctx.params.report}`);
    delete ctx.repo.reports[found.hash]?.[ctx.params.report ?? ''];
    return empty(204);
  }),
  repoRoute('POST', '/commit/:commit/reports/:report/annotations', 'read:repository:bitbucket', addAnnotations),
  repoRoute('GET', '/commit/:commit/reports/:report/annotations', 'read:repository:bitbucket', (ctx) => {
    const found = locate(ctx);
    if ('status' in found) return found;
    if (!found.record) return errorReply(404, `Report not found: ${ctx.params.report}`);
    return page(ctx.req, found.record.annotations, (annotation) => annotation);
  }),
];
