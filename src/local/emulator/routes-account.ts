import { filterByBbql } from './bbql';
import { errorReply, json, NO_REPOSITORY_ACCESS, page } from './http-io';
import type { Membership, UserRecord, WorkspaceRecord } from './model';
import { findRepository, findWorkspace, repositoryPermissionOf } from './model';
import { userJson, workspaceJson } from './render';
import { accountRoute, workspaceRoute, type Route } from './router';

/** The current user, their workspaces, workspace membership (the admin check) and repository permissions. */

const userRef = (user: UserRecord) => ({
  type: 'user', uuid: user.uuid, account_id: user.accountId, nickname: user.username, display_name: user.displayName,
});

interface WorkspaceMember {
  user: UserRecord;
  workspace: WorkspaceRecord;
  permission: Membership;
}

export const accountRoutes: Route[] = [
  accountRoute('GET', '/2.0/user', 'read:user:bitbucket', ({ req, user }) => json(200, userJson(user, req.publicBase))),

  accountRoute('GET', '/2.0/user/workspaces', 'read:workspace:bitbucket', ({ req, state, user }) => {
    const administrator = req.query.get('administrator');
    const accesses = Object.entries(user.workspaces)
      .map(([slug, permission]) => ({ workspace: findWorkspace(state, slug), permission }))
      .filter((access): access is { workspace: WorkspaceRecord; permission: Membership } => access.workspace !== undefined)
      .filter((access) => administrator === null || String(access.permission === 'owner') === administrator)
      .sort((a, b) => (a.workspace.slug < b.workspace.slug ? -1 : 1));
    return page(req, accesses, ({ workspace, permission }) => ({
      type: 'workspace_access',
      administrator: permission === 'owner',
      workspace: {
        type: 'workspace_base',
        uuid: workspace.uuid,
        slug: workspace.slug,
        links: { self: { href: `${req.publicBase}/2.0/workspaces/${workspace.slug}` } },
      },
    }));
  }),

  /** "List repositories in a workspace" with `role=member`: those the user can read, most recently updated first. */
  workspaceRoute('GET', '/2.0/repositories/:workspace', 'read:repository:bitbucket', ({ req, state, workspace, user }) => {
    const readable = state.repositories
      .filter((repo) => repo.workspace === workspace.slug && (user === undefined || repositoryPermissionOf(repo, user) !== undefined))
      .slice()
      .reverse();
    return page(req, readable, (repo) => ({ type: 'repository', uuid: repo.uuid, slug: repo.slug, full_name: `${repo.workspace}/${repo.slug}`, name: repo.slug }));
  }),

  workspaceRoute('GET', '/2.0/workspaces/:workspace', 'read:workspace:bitbucket', ({ req, workspace }) =>
    json(200, workspaceJson(workspace, req.publicBase)),
  ),

  workspaceRoute('GET', '/2.0/workspaces/:workspace/permissions', 'read:workspace:bitbucket', ({ req, state, workspace }) => {
    const members: WorkspaceMember[] = state.users.flatMap((user) => {
      const permission = user.workspaces[workspace.slug];
      return permission === undefined ? [] : [{ user, workspace, permission }];
    });
    const q = req.query.get('q');
    const filtered =
      q === null
        ? members
        : filterByBbql(members, q, {
            permission: (m) => m.permission,
            'user.uuid': (m) => m.user.uuid,
            'user.account_id': (m) => m.user.accountId,
            'user.nickname': (m) => m.user.username,
            'user.display_name': (m) => m.user.displayName,
            'workspace.slug': (m) => m.workspace.slug,
            'workspace.uuid': (m) => m.workspace.uuid,
          });
    return page(req, filtered, (m) => ({
      type: 'workspace_membership',
      permission: m.permission,
      user: userRef(m.user),
      workspace: { type: 'workspace', uuid: m.workspace.uuid, slug: m.workspace.slug, name: m.workspace.name },
    }));
  }),

  /**
   * "List a repository permissions for a workspace": each user's effective permission (direct or
   * through a group) on one repository of the workspace, `paginated_repository_permissions`. A
   * repository of another workspace is 404. Only the repository's admins may ask (and the app).
   */
  workspaceRoute('GET', '/2.0/workspaces/:workspace/permissions/repositories/:repo', 'read:repository:bitbucket', ({ req, state, workspace, user, params }) => {
    const repo = findRepository(state, workspace.slug, params.repo ?? '');
    if (!repo) return errorReply(404, NO_REPOSITORY_ACCESS);
    if (user !== undefined && repositoryPermissionOf(repo, user) !== 'admin') {
      return errorReply(403, "The requesting user isn't an admin of the repository.");
    }
    const entries = state.users.flatMap((candidate) => {
      const permission = repositoryPermissionOf(repo, candidate);
      return permission === undefined ? [] : [{ user: candidate, permission }];
    });
    const q = req.query.get('q');
    const filtered =
      q === null
        ? entries
        : filterByBbql(entries, q, {
            permission: (e) => e.permission,
            'user.uuid': (e) => e.user.uuid,
            'user.account_id': (e) => e.user.accountId,
            'user.nickname': (e) => e.user.username,
            'user.display_name': (e) => e.user.displayName,
          });
    return page(req, filtered, (e) => ({
      type: 'repository_permission',
      permission: e.permission,
      user: userRef(e.user),
      repository: { type: 'repository', uuid: repo.uuid, full_name: `${repo.workspace}/${repo.slug}`, name: repo.slug },
    }));
  }),
];
