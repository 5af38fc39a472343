import { createTwoFilesPatch } from 'diff';
import type { EmulatorState } from './model';
import { findRepository } from './model';
import { fileContent, resolveRef } from './git';
import { declinePullRequest, mergePullRequest } from './routes-pullrequests';

/**
 * Plain HTML stand-ins for the bitbucket.org pages the API links to (`links.html.href`): a pull
 * request with its description and diff, and a file at a commit with line anchors. They make the
 * links in PR text and on the repository page clickable in the local demo; nothing more.
 */
const escape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const page = (title: string, body: string): string =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>body{font:14px/1.5 system-ui,sans-serif;margin:24px;color:#172b4d}pre{background:#f7f8f9;padding:12px;overflow:auto}
.add{color:#216e4e}.del{color:#ae2e24}.banner{background:#fff7d6;padding:8px 12px;border-radius:3px}td.n{color:#626f86;text-align:right;padding-right:12px;user-select:none}</style>
</head><body><p class="banner">Bitbucket emulator — a local stand-in for this bitbucket.org page.</p>${body}</body></html>`;

function pullRequestPage(state: EmulatorState, ws: string, slug: string, id: number): string | undefined {
  const repo = findRepository(state, ws, slug);
  const pr = repo?.pullRequests.find((candidate) => candidate.id === id);
  if (!repo || !pr) return undefined;
  const source = resolveRef(repo, pr.sourceCommit);
  const destination = resolveRef(repo, pr.destinationCommit);
  let diff = '';
  if ('commit' in source && 'commit' in destination) {
    const paths = new Set([...Object.keys(source.commit.tree), ...Object.keys(destination.commit.tree)]);
    for (const path of [...paths].sort()) {
      const before = destination.commit.tree[path];
      const after = source.commit.tree[path];
      const oldText = before ? fileContent(repo, before) : '';
      const newText = after ? fileContent(repo, after) : '';
      if (oldText !== newText) diff += createTwoFilesPatch(`a/${path}`, `b/${path}`, oldText, newText);
    }
  }
  const lines = diff
    .split('\n')
    .map((line) => `<span class="${line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : ''}">${escape(line)}</span>`)
    .join('\n');
  return page(
    `#${pr.id} ${pr.title}`,
    `<h1>#${pr.id} ${escape(pr.title)}</h1><p><strong>${pr.state}</strong> · ${escape(pr.sourceBranch)} → ${escape(pr.destinationBranch)}</p>
${pr.state === 'OPEN' ? actionForms(pr.id) : ''}${mergeCheckLine(pr)}<h2>Description (Markdown)</h2><pre>${escape(pr.description)}</pre><h2>Diff</h2><pre>${lines}</pre>`,
  );
}

/** The app's merge check as the pull request page shows it: passed or failed, with its message. */
const mergeCheckLine = (pr: EmulatorState['repositories'][number]['pullRequests'][number]): string =>
  pr.mergeCheck
    ? `<p data-testid="merge-check"><strong>Remediate merge check: ${pr.mergeCheck.success ? 'passed' : 'failed'}</strong> (${escape(pr.mergeCheck.trigger)})<br>${escape(pr.mergeCheck.message)}</p>`
    : '';

/** Merge and Decline buttons, as a reviewer would press them on bitbucket.org. */
const actionForms = (id: number): string =>
  `<p><form method="post" action="${id}/merge" style="display:inline"><button type="submit">Merge</button></form> ` +
  `<form method="post" action="${id}/decline" style="display:inline"><button type="submit">Decline</button></form></p>`;

function filePage(state: EmulatorState, ws: string, slug: string, ref: string, path: string): string | undefined {
  const repo = findRepository(state, ws, slug);
  if (!repo) return undefined;
  const resolved = resolveRef(repo, ref);
  const entry = 'commit' in resolved ? resolved.commit.tree[path] : undefined;
  if (!entry) return undefined;
  const rows = fileContent(repo, entry)
    .split('\n')
    .map((line, i) => `<tr id="lines-${i + 1}"><td class="n">${i + 1}</td><td><code>${escape(line)}</code></td></tr>`)
    .join('');
  return page(`${path} at ${ref.slice(0, 12)}`, `<h1>${escape(path)}</h1><p>at ${escape(ref)}</p><table>${rows}</table>`);
}

/** A commit with its Code Insights reports and their annotations, as Bitbucket's commit page shows them. */
function commitPage(state: EmulatorState, ws: string, slug: string, ref: string): string | undefined {
  const repo = findRepository(state, ws, slug);
  if (!repo) return undefined;
  const resolved = resolveRef(repo, ref);
  if (!('commit' in resolved)) return undefined;
  const { commit } = resolved;
  const text = (value: unknown) => escape(typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value));
  const link = (href: unknown, label: string) => (typeof href === 'string' && /^https?:/.test(href) ? `<a href="${escape(href)}">${escape(label)}</a>` : escape(label));
  const reports = Object.values(repo.reports[commit.hash] ?? {}).map(({ report, annotations }) => {
    const data = Array.isArray(report.data) ? (report.data as { title?: string; value?: unknown }[]) : [];
    const rows = annotations
      .map((a) => `<tr><td>${text(a.severity)}</td><td>${text(a.path)}${a.line === undefined ? '' : `:${text(a.line)}`}</td><td>${link(a.link, String(a.summary ?? ''))}</td></tr>`)
      .join('');
    return `<h2>${link(report.link, String(report.title ?? 'Report'))} <small>${text(report.report_type)} · ${text(report.result)}</small></h2>
<p>${text(report.details)}</p><p>${data.map((d) => `${text(d.title)}: ${text(typeof d.value === 'object' && d.value !== null ? (d.value as { text?: string }).text : d.value)}`).join(' · ')}</p>
<table><tr><th>Severity</th><th>Where</th><th>Summary</th></tr>${rows}</table>`;
  });
  return page(
    `Commit ${commit.hash.slice(0, 12)}`,
    `<h1>Commit ${escape(commit.hash.slice(0, 12))}</h1><pre>${escape(commit.message)}</pre>${reports.join('') || '<p>No Code Insights reports.</p>'}`,
  );
}

/** The HTML for a web path under the emulator, or undefined when it names nothing emulated. */
export function webPage(state: EmulatorState, path: string): string | undefined {
  const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
  const [ws, slug, kind, ...rest] = segments;
  if (!ws || !slug) return undefined;
  if (kind === 'pull-requests' && rest.length === 1 && /^\d+$/.test(rest[0] ?? '')) return pullRequestPage(state, ws, slug, Number(rest[0]));
  if (kind === 'src' && rest.length >= 2) return filePage(state, ws, slug, rest[0] ?? '', rest.slice(1).join('/'));
  if (kind === 'commits' && rest.length === 1) return commitPage(state, ws, slug, rest[0] ?? '');
  return undefined;
}

/**
 * `POST /{workspace}/{repo}/pull-requests/{id}/merge|decline` from the buttons on the pull request
 * page: the PR page to return to, or a problem to show; undefined when the path names no action.
 */
export function webAction(state: EmulatorState, path: string): { pullRequestPath: string } | { problem: string } | undefined {
  const match = /^\/([^/]+)\/([^/]+)\/pull-requests\/(\d+)\/(merge|decline)$/.exec(path);
  if (!match) return undefined;
  const [, ws = '', slug = '', id = '', action] = match;
  const repo = findRepository(state, decodeURIComponent(ws), decodeURIComponent(slug));
  const pr = repo?.pullRequests.find((candidate) => candidate.id === Number(id));
  if (!repo || !pr) return { problem: 'No such repository or pull request.' };
  const problem = action === 'merge' ? mergePullRequest(state, repo, pr) : declinePullRequest(repo, pr);
  return problem === undefined ? { pullRequestPath: `/${repo.workspace}/${repo.slug}/pull-requests/${pr.id}` } : { problem };
}
