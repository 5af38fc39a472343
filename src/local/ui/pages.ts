import { escapeHtml, htmlDocument, topBar } from './html';

export type UiPage = 'settings' | 'repository';

export interface Targets {
  workspaces: { slug: string; uuid: string }[];
  repositories: { workspace: string; slug: string; uuid: string }[];
}

const segment = (value: string): string => encodeURIComponent(value);
export const settingsPath = (workspace: string): string => `/workspace/${segment(workspace)}/settings`;
export const repositoryPath = (workspace: string, slug: string): string =>
  `/repository/${segment(workspace)}/${segment(slug)}`;
/** The repository's source view, where Bitbucket shows the app's sidebar card. */
export const sourcePath = (workspace: string, slug: string): string => `${repositoryPath(workspace, slug)}/source`;

const item = (label: string, active = false, href?: string): string =>
  href
    ? `<a class="item${active ? ' active' : ''}" href="${escapeHtml(href)}"${active ? ' aria-current="page"' : ''}>${escapeHtml(label)}</a>`
    : `<span class="item">${escapeHtml(label)}</span>`;

const tile = (name: string): string =>
  `<div class="context"><span class="tile">${escapeHtml(name.slice(0, 1).toUpperCase())}</span><span>${escapeHtml(name)}</span></div>`;

/** A repository's left nav, on the app's page or (active: 'source') on the source view with the card. */
export function repositorySidebar(workspace: string, repoSlug: string, active: 'source' | 'app', appHref: string): string {
  const items = item('Source', active === 'source', sourcePath(workspace, repoSlug))
    + ['Commits', 'Branches', 'Pull requests', 'Pipelines', 'Deployments', 'Jira work items', 'Downloads'].map((label) => item(label)).join('');
  return `<nav class="sidebar" aria-label="Repository">${tile(repoSlug)}${items}<h4>Apps</h4>${item('Remediate', active === 'app', appHref)}<h4>Settings</h4>${item('Repository settings')}</nav>`;
}

function sidebar(page: UiPage, workspace: string, repoSlug: string | undefined, selfHref: string): string {
  if (page === 'repository' && repoSlug) return repositorySidebar(workspace, repoSlug, 'app', selfHref);
  return `<nav class="sidebar" aria-label="Workspace settings">${tile(workspace)}<h4>General</h4>${item('Workspace details')}${item('Plan details')}${item('Security')}<h4>Access management</h4>${item('User groups')}${item('Permissions')}<h4>Forge apps</h4>${item('Remediate', true, selfHref)}</nav>`;
}

/** The page as Bitbucket would frame it: top bar, left nav, and the app in an iframe. */
export function framePage(options: {
  page: UiPage;
  workspace: string;
  repoSlug?: string;
  accountId: string;
  iframeSrc: string;
  selfHref: string;
}): string {
  const { page, workspace, repoSlug, accountId, iframeSrc, selfHref } = options;
  const crumbs =
    page === 'repository'
      ? `${escapeHtml(workspace)} / ${escapeHtml(repoSlug ?? '')} / Remediate`
      : `${escapeHtml(workspace)} / Workspace settings / Remediate`;
  const title = page === 'repository' ? `Remediate · ${workspace}/${repoSlug ?? ''}` : `Remediate settings · ${workspace}`;
  return htmlDocument(
    title,
    `${topBar(accountId)}
<div class="layout">
${sidebar(page, workspace, repoSlug, selfHref)}
<div class="content">
<nav class="breadcrumbs" aria-label="Breadcrumbs"><a href="/">Local host</a> / ${crumbs}</nav>
<iframe class="app" id="forge-app" name="forge-app" title="Remediate" src="${escapeHtml(iframeSrc)}"></iframe>
</div>
</div>`,
  );
}

export function indexPage(targets: Targets): string {
  const workspaces = targets.workspaces
    .map((w) => `<li><a href="${escapeHtml(settingsPath(w.slug))}">${escapeHtml(w.slug)} — workspace settings</a> <span class="muted"><code>${escapeHtml(w.uuid)}</code></span></li>`)
    .join('');
  const repositories = targets.repositories
    .map((r) => `<li><a href="${escapeHtml(repositoryPath(r.workspace, r.slug))}">${escapeHtml(`${r.workspace}/${r.slug}`)}</a> · <a href="${escapeHtml(sourcePath(r.workspace, r.slug))}">source view with the sidebar card</a> <span class="muted"><code>${escapeHtml(r.uuid)}</code></span></li>`)
    .join('');
  return htmlDocument(
    'Remediate — local host',
    `${topBar()}
<main class="plain">
<h1>Remediate for Bitbucket — local host</h1>
<p class="muted">Each page opens framed as Bitbucket would show it. Add <code>?accountId=…</code> to see another account's view.</p>
<h2>Workspace settings</h2>
${workspaces ? `<ul>${workspaces}</ul>` : '<p class="muted">No workspaces yet.</p>'}
<h2>Repository pages</h2>
${repositories ? `<ul>${repositories}</ul>` : '<p class="muted">No repositories yet.</p>'}
</main>`,
  );
}

export function messagePage(title: string, message: string): string {
  return htmlDocument(
    title,
    `${topBar()}
<main class="plain">
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(message)}</p>
<p><a href="/">Back to the list of pages</a></p>
</main>`,
  );
}
