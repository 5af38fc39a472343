/** The manifest key of the repository page (manifest.yml `bitbucket:repoMainMenuPage`). */
export const repositoryPageModuleKey = 'remediate-repository';

/** What the card reads from the product context to link to the repository page. */
export interface CardContext {
  workspaceId?: string;
  localId?: string;
  environmentType?: string;
  extension?: { repository?: { uuid?: string; slug?: string; full_name?: string; workspace?: { slug?: string } } };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** Narrows whatever `useProductContext()` returned to the fields the card uses. */
export function readCardContext(value: unknown): CardContext | undefined {
  if (!isRecord(value)) return undefined;
  const extension = isRecord(value.extension) ? value.extension : {};
  const repository = isRecord(extension.repository) ? extension.repository : undefined;
  const workspace = repository && isRecord(repository.workspace) ? repository.workspace : undefined;
  const context: CardContext = {};
  const workspaceId = text(value.workspaceId);
  const localId = text(value.localId);
  const environmentType = text(value.environmentType);
  if (workspaceId) context.workspaceId = workspaceId;
  if (localId) context.localId = localId;
  if (environmentType) context.environmentType = environmentType;
  if (repository) {
    context.extension = {
      repository: {
        ...(text(repository.uuid) ? { uuid: text(repository.uuid) } : {}),
        ...(text(repository.slug) ? { slug: text(repository.slug) } : {}),
        ...(text(repository.full_name) ? { full_name: text(repository.full_name) } : {}),
        ...(workspace && text(workspace.slug) ? { workspace: { slug: text(workspace.slug) } } : {}),
      },
    };
  }
  return context;
}

/**
 * The repository page's product URL, `/{workspace}/{repo}/forge/{appId}/{environment}/{moduleKey}`
 * (Bitbucket's documented shape). Bitbucket also accepts `{uuid}` in place of slugs. The app id
 * comes from the extension's localId (`ari:cloud:ecosystem::extension/{appId}/{envId}/…`).
 * Undefined when the context lacks what the URL needs: the card then says where to find the page.
 */
export function repositoryPageHref(context: CardContext | undefined): string | undefined {
  const repository = context?.extension?.repository;
  const app = /extension\/([0-9a-f-]{36})\//i.exec(context?.localId ?? '');
  const environment = context?.environmentType?.toLowerCase();
  if (!repository || !app?.[1] || !environment) return undefined;
  const workspacePart = repository.workspace?.slug ?? context?.workspaceId;
  const repoPart = repository.full_name ?? (workspacePart && (repository.slug ?? repository.uuid) ? `${workspacePart}/${repository.slug ?? repository.uuid}` : undefined);
  if (!repoPart) return undefined;
  const path = repoPart.split('/').map(encodeURIComponent).join('/');
  return `/${path}/forge/${app[1]}/${environment}/${repositoryPageModuleKey}`;
}
