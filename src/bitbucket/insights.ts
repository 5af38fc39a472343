import { AppError, isAppError } from '../domain/errors';
import type { BitbucketTransport } from './http';
import type { AssertKnownFields, Expect, RequestBody } from './openapi';
import { apiPath, repoParams } from './paths';
import type { BitbucketClient, CodeInsightsAnnotation, CodeInsightsReport, RepoRef } from './types';

type InsightsApi = Pick<BitbucketClient, 'putReport' | 'addAnnotations' | 'deleteReport'>;

/** Bitbucket takes at most 100 annotations per POST and keeps at most 1,000 per report. */
export const ANNOTATIONS_PER_REQUEST = 100;
export const ANNOTATIONS_PER_REPORT = 1000;

function reportBody(report: CodeInsightsReport) {
  return {
    title: report.title,
    details: report.details,
    report_type: report.reportType,
    reporter: report.reporter,
    result: report.result,
    link: report.link,
    data: report.data,
  };
}

function annotationBody(annotation: CodeInsightsAnnotation) {
  return {
    external_id: annotation.externalId,
    annotation_type: annotation.annotationType,
    summary: annotation.summary,
    details: annotation.details,
    severity: annotation.severity,
    result: annotation.result,
    path: annotation.path,
    line: annotation.line,
    link: annotation.link,
  };
}

type ReportPath = '/repositories/{workspace}/{repo_slug}/commit/{commit}/reports/{reportId}';
/** The bodies sent use only fields the OpenAPI description names. */
export type InsightsBodyChecks = [
  Expect<AssertKnownFields<ReturnType<typeof reportBody>, RequestBody<ReportPath, 'put'>>>,
  Expect<AssertKnownFields<ReturnType<typeof annotationBody>, RequestBody<`${ReportPath}/annotations`, 'post'>>>,
];

export function insightsApi(http: BitbucketTransport): InsightsApi {
  const params = (repo: RepoRef, commit: string, reportId: string) => ({ ...repoParams(repo), commit, reportId });

  return {
    async putReport(repo, commit, reportId, report) {
      const body = JSON.stringify(reportBody(report));
      await http.send(http.url(apiPath('put', '/repositories/{workspace}/{repo_slug}/commit/{commit}/reports/{reportId}', params(repo, commit, reportId))), { method: 'PUT', body, contentType: 'application/json' });
    },

    async addAnnotations(repo, commit, reportId, annotations) {
      if (annotations.length > ANNOTATIONS_PER_REPORT) {
        throw new AppError(
          'bad_request',
          `A Code Insights report holds at most ${ANNOTATIONS_PER_REPORT} annotations; got ${annotations.length}.`,
        );
      }
      const url = http.url(
        apiPath('post', '/repositories/{workspace}/{repo_slug}/commit/{commit}/reports/{reportId}/annotations', params(repo, commit, reportId)),
      );
      for (let start = 0; start < annotations.length; start += ANNOTATIONS_PER_REQUEST) {
        const batch = annotations.slice(start, start + ANNOTATIONS_PER_REQUEST).map(annotationBody);
        // A bulk create-or-update keyed by external_id: safe to re-send after a 5xx.
        await http.send(url, { method: 'POST', body: JSON.stringify(batch), contentType: 'application/json', retryOnServerError: true });
      }
    },

    async deleteReport(repo, commit, reportId) {
      const url = http.url(apiPath('delete', '/repositories/{workspace}/{repo_slug}/commit/{commit}/reports/{reportId}', params(repo, commit, reportId)));
      try {
        await http.send(url, { method: 'DELETE' });
      } catch (error) {
        // Already gone is what we wanted.
        if (!isAppError(error) || error.code !== 'not_found') throw error;
      }
    },
  };
}
