import type { LocalForgeContext } from './context';
import { escapeHtml, htmlDocument, topBar } from './html';
import { repositoryPath, repositorySidebar } from './pages';

/** The manifest's card module (`bitbucket:repoCodeOverviewCard`). */
export const cardModuleKey = 'remediate-card';
/** Stands for the Forge environment id, which only matters to the card as part of its localId. */
const localEnvironmentId = '00000000-0000-4000-8000-00000000c0de';

/** The app id from manifest.yml (`app.id: ari:cloud:ecosystem::app/<uuid>`), as Forge puts it in a localId. */
export function appIdOf(manifest: string): string {
  return /ari:cloud:ecosystem::app\/([0-9a-f-]{36})/i.exec(manifest)?.[1] ?? '00000000-0000-4000-8000-000000000000';
}

/** What Bitbucket gives the card: the repository page's context, as the card module. */
export function cardContext(repositoryContext: LocalForgeContext, appId: string): LocalForgeContext {
  return {
    ...repositoryContext,
    moduleKey: cardModuleKey,
    localId: `ari:cloud:ecosystem::extension/${appId}/${localEnvironmentId}/static/${cardModuleKey}`,
    extension: { ...repositoryContext.extension, type: 'bitbucket:repoCodeOverviewCard' },
  };
}

/**
 * The repository's source view as Bitbucket frames it: navigation on the left, the files in the
 * middle (a stand-in here), and the app's card in the right-hand sidebar.
 */
export function sourceViewPage(options: { workspace: string; repoSlug: string; accountId: string; cardSrc: string }): string {
  const { workspace, repoSlug, accountId, cardSrc } = options;
  return htmlDocument(
    `Source · ${workspace}/${repoSlug}`,
    `${topBar(accountId)}
<div class="layout">
${repositorySidebar(workspace, repoSlug, 'source', repositoryPath(workspace, repoSlug))}
<div class="content source-view">
<nav class="breadcrumbs" aria-label="Breadcrumbs"><a href="/">Local host</a> / ${escapeHtml(workspace)} / ${escapeHtml(repoSlug)} / Source</nav>
<div class="source-columns">
<main class="plain source-main"><h1>${escapeHtml(repoSlug)}</h1><p class="muted">The repository's files would be listed here. The card on the right is the app's UI Kit card, drawn by the local renderer.</p></main>
<aside class="card-column" aria-label="Apps"><iframe class="card-frame" id="forge-app" name="forge-app" title="Remediate card" src="${escapeHtml(cardSrc)}"></iframe></aside>
</div>
</div>
</div>`,
  );
}

/** The card's own document: context, bridge shim, the renderer, then the real card bundle. */
export function cardDocument(contextScript: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Remediate card</title>
<link rel="stylesheet" href="/ui/card/card.css">
</head>
<body>
<main id="root" aria-label="Remediate"></main>
${contextScript}
<script src="/forge/bridge-shim.js"></script>
<script src="/ui/card/renderer.js"></script>
<script src="/ui/card/main.js"></script>
</body>
</html>
`;
}
