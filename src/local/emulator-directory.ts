import type { BitbucketEmulator } from './emulator';
import type { LocalForgeContext } from './ui';

/**
 * What Bitbucket itself would hand the app's pages: the workspace and repository ids and the
 * viewing account. Read from the emulator's state, since locally the emulator is Bitbucket.
 */
export function emulatorDirectory(emulator: BitbucketEmulator) {
  return {
    async resolveContext(input: { workspace: string; repoSlug?: string; accountId?: string }): Promise<LocalForgeContext | undefined> {
      const state = emulator.state;
      const workspace = state.workspaces.find((ws) => ws.slug === input.workspace || ws.uuid === input.workspace);
      if (!workspace) return undefined;
      const members = state.users.filter((user) => user.workspaces[workspace.slug]);
      const viewer = input.accountId
        ? members.find((user) => user.accountId === input.accountId)
        : members.find((user) => user.workspaces[workspace.slug] === 'owner');
      if (!viewer) return undefined;
      const base = {
        accountId: viewer.accountId,
        workspaceId: workspace.uuid,
        environmentType: 'DEVELOPMENT' as const,
        locale: 'en-US' as const,
        timezone: 'UTC' as const,
      };
      if (!input.repoSlug) {
        return {
          ...base,
          moduleKey: 'remediate-settings',
          localId: `remediate-settings-${workspace.slug}`,
          extension: { type: 'bitbucket:workspaceSettingsMenuPage', workspace: { uuid: workspace.uuid } },
        };
      }
      const repository = state.repositories.find((repo) => repo.workspace === workspace.slug && repo.slug === input.repoSlug);
      if (!repository) return undefined;
      return {
        ...base,
        moduleKey: 'remediate-repository',
        localId: `remediate-repository-${repository.uuid}`,
        extension: { type: 'bitbucket:repoMainMenuPage', repository: { uuid: repository.uuid, slug: repository.slug } },
      };
    },
    async listTargets() {
      const state = emulator.state;
      return {
        workspaces: state.workspaces.map((ws) => ({ slug: ws.slug, uuid: ws.uuid })),
        repositories: state.repositories.map((repo) => ({ workspace: repo.workspace, slug: repo.slug, uuid: repo.uuid })),
      };
    },
  };
}
