import { test } from 'node:test';
import assert from 'node:assert/strict';

/**
 * Renders the UI Kit sidebar card through the real ForgeReconciler and asserts on the ForgeDoc it
 * sends over the bridge (forge.md §7.3). `@forge/bridge` reads `globalThis.__bridge` when it is
 * imported and the reconciler calls `self.__bridge`, so the fake goes in before the dynamic imports.
 */

interface ForgeDoc {
  type: string;
  props: Record<string, unknown>;
  children: ForgeDoc[];
}
type Answer = (functionKey: string, payload?: unknown) => unknown;

const reconciled: ForgeDoc[] = [];
let answer: Answer = () => ({ ok: false, error: { code: 'unset', message: 'no answer set' } });
const context = {
  accountId: 'acc-admin',
  workspaceId: '{11111111-1111-4111-8111-111111111111}',
  localId: 'ari:cloud:ecosystem::extension/6d9a8c2e-1b4f-4c36-9a7e-2f1e0d3c4b5a/0f0e0d0c-0b0a-4909-8807-060504030201/static/remediate-card',
  environmentType: 'DEVELOPMENT',
  extension: { type: 'bitbucket:repoCodeOverviewCard', repository: { uuid: '{22222222-2222-4222-8222-222222222222}' } },
};

const bridge = {
  callBridge: async (command: string, data?: { functionKey?: string; payload?: unknown; forgeDoc?: ForgeDoc }) => {
    if (command === 'reconcile' && data?.forgeDoc) reconciled.push(JSON.parse(JSON.stringify(data.forgeDoc)) as ForgeDoc);
    if (command === 'getContext') return context;
    if (command === 'invoke') return answer(data?.functionKey ?? '', data?.payload);
    return undefined;
  },
};
Object.assign(globalThis, { __bridge: bridge, self: globalThis });

const React = await import('react');
const { default: ForgeReconciler } = await import('@forge/react');
const { RepositoryCard } = await import('../src/frontend/repository-card');
const { repositoryPageHref, readCardContext } = await import('../src/frontend/card-links');

function walk(doc: ForgeDoc, visit: (node: ForgeDoc) => void): void {
  visit(doc);
  for (const child of doc.children ?? []) walk(child, visit);
}
const nodesOf = (doc: ForgeDoc, type: string): ForgeDoc[] => {
  const found: ForgeDoc[] = [];
  walk(doc, (node) => node.type === type && found.push(node));
  return found;
};
const textOf = (doc: ForgeDoc): string => {
  const parts: string[] = [];
  walk(doc, (node) => node.type === 'String' && parts.push(String(node.props.text)));
  return parts.join('');
};

async function renderUntil(predicate: (doc: ForgeDoc) => boolean): Promise<ForgeDoc> {
  reconciled.length = 0;
  ForgeReconciler.render(React.createElement(RepositoryCard));
  const deadline = Date.now() + 3000;
  while (Date.now() < deadline) {
    const last = reconciled.at(-1);
    if (last && predicate(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.fail(`the card never rendered the expected state; last doc text: ${textOf(reconciled.at(-1) ?? { type: 'Root', props: {}, children: [] })}`);
}

const now = Date.now();
const canned: Record<string, unknown> = {
  listFindings: {
    ok: true,
    data: {
      items: [],
      counts: {
        total: 7,
        byVerdict: { true_positive: 4, false_positive: 2, suspicious: 1 },
        bySeverity: { critical: 1, high: 3, low: 3 },
        byStatus: { open: 5, fix_proposed: 2 },
      },
    },
  },
  listPullRequests: {
    ok: true,
    data: {
      items: [
        { id: 12, title: 'Remediate: parameterise SQL', url: 'https://bitbucket.example/acme/app/pull-requests/12', state: 'OPEN', branch: 'remediate/sql', codemodId: 'sql', findingIds: ['a'] },
        { id: 9, title: 'Old one', url: 'https://bitbucket.example/acme/app/pull-requests/9', state: 'MERGED', branch: 'remediate/x', codemodId: 'x', findingIds: [] },
      ],
    },
  },
  listScans: {
    ok: true,
    data: {
      items: [
        { id: 's-old', status: 'done', commit: '0000000aaaaaaa', tools: ['semgrep'], counts: { results: 1, findings: 1, merged: 0, skipped: 0 }, createdAt: new Date(now - 86400e3 * 3).toISOString() },
        { id: 's-new', status: 'done', commit: 'abcdef1234567890', tools: ['semgrep'], counts: { results: 9, findings: 7, merged: 2, skipped: 0 }, createdAt: new Date(now - 5 * 60e3).toISOString() },
      ],
    },
  },
};

test('the card shows counts, open fix PRs, the last scan and a link to the repository page', async () => {
  answer = (key) => canned[key];
  const doc = await renderUntil((d) => nodesOf(d, 'Heading').length > 0);
  assert.equal(nodesOf(reconciled[0] ?? doc, 'Spinner').length, 1, 'the first render is the loading spinner');

  const text = textOf(doc);
  assert.match(text, /5 open of 7 findings/);
  assert.match(text, /4 true positives/);
  const lozenges = nodesOf(doc, 'Lozenge').map(textOf);
  assert.deepEqual(lozenges.slice(0, 3), ['1 critical', '3 high', '3 low']);

  const links = nodesOf(doc, 'Link');
  const prLink = links.find((link) => link.props.href === 'https://bitbucket.example/acme/app/pull-requests/12');
  assert.ok(prLink, 'the open PR is linked');
  assert.match(textOf(prLink), /#12 Remediate: parameterise SQL/);
  assert.ok(!links.some((link) => String(link.props.href).endsWith('/9')), 'merged PRs are not listed');

  assert.match(text, /Last scan 5 minutes ago on abcdef1/);
  assert.ok(lozenges.includes('done'));
  const pageLink = links.find((link) => textOf(link) === 'Open the Remediate page');
  assert.equal(
    pageLink?.props.href,
    '/%7B11111111-1111-4111-8111-111111111111%7D/%7B22222222-2222-4222-8222-222222222222%7D/forge/6d9a8c2e-1b4f-4c36-9a7e-2f1e0d3c4b5a/development/remediate-repository',
  );
});

test('the card shows the resolver error in a section message', async () => {
  answer = (key) =>
    key === 'listScans'
      ? { ok: false, error: { code: 'not_configured', message: 'Remediate has no Bitbucket service account for this workspace yet.' } }
      : canned[key];
  const doc = await renderUntil((d) => nodesOf(d, 'SectionMessage').length > 0);
  const message = nodesOf(doc, 'SectionMessage')[0];
  assert.ok(message);
  assert.equal(message.props.appearance, 'error');
  assert.equal(message.props.title, 'Remediate could not load');
  assert.match(textOf(message), /no Bitbucket service account/);
});

test('with no scans the card points to the CI upload', async () => {
  answer = (key) =>
    key === 'listFindings'
      ? { ok: true, data: { items: [], counts: { total: 0, byVerdict: {}, bySeverity: {}, byStatus: {} } } }
      : { ok: true, data: { items: [] } };
  const doc = await renderUntil((d) => nodesOf(d, 'Heading').length > 0);
  assert.match(textOf(doc), /No scans yet: upload SARIF from CI/);
  assert.match(textOf(doc), /No open fix pull requests/);
});

test('the repository page link prefers slugs and is omitted without an app id', () => {
  const withSlugs = readCardContext({
    ...context,
    extension: { repository: { uuid: '{r}', full_name: 'acme/vulnerable-app' } },
  });
  assert.equal(
    repositoryPageHref(withSlugs),
    '/acme/vulnerable-app/forge/6d9a8c2e-1b4f-4c36-9a7e-2f1e0d3c4b5a/development/remediate-repository',
  );
  assert.equal(repositoryPageHref(readCardContext({ ...context, localId: 'local' })), undefined);
  assert.equal(repositoryPageHref(readCardContext(undefined)), undefined);
});

test('the card\'s severity lozenges count open true positives only, from the filtered counts, and it names the most severe', async () => {
  const payloads: unknown[] = [];
  const findings = canned.listFindings as { data: Record<string, unknown> };
  answer = (key, payload) => {
    if (key !== 'listFindings') return canned[key];
    payloads.push(payload);
    return {
      ok: true,
      data: {
        ...findings.data,
        filteredCounts: { total: 5, byVerdict: { true_positive: 5 }, bySeverity: { high: 2, low: 3 }, byStatus: { open: 5 } },
        items: [
          { id: 'f1', ruleId: 'js/sql-injection', path: 'routes/users.js', line: 20, severity: 'high', verdict: 'true_positive', confidence: 92, status: 'open' },
          { id: 'f2', ruleId: 'B105', path: 'app/settings.py', line: 7, severity: 'low', verdict: 'true_positive', confidence: 85, status: 'open' },
        ],
      },
    };
  };
  const doc = await renderUntil((d) => nodesOf(d, 'Heading').length > 0);
  assert.deepEqual(payloads, [{ filter: { status: 'open', verdict: 'true_positive' }, sort: 'severity', limit: 3 }]);
  assert.match(textOf(doc), /5 open of 7 findings/);
  assert.match(textOf(doc), /Open true positives by severity/);
  assert.deepEqual(nodesOf(doc, 'Lozenge').map(textOf).slice(0, 4), ['2 high', '3 low', 'high', 'low']);
  assert.match(textOf(doc), /Most severe open true positives/);
  assert.match(textOf(doc), /js\/sql-injection · routes\/users\.js:20 \(confidence 92\)/);
  assert.match(textOf(doc), /B105 · app\/settings\.py:7 \(confidence 85\)/);
});
