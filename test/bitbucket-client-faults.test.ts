import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createBitbucketClient } from '../src/bitbucket/client';
import { nodeFetch } from '../src/local/adapters/node-fetch';
import { ALL_APP_SCOPES, emulatorAdmin, startEmulatorServer } from '../src/local/emulator';

/**
 * Under seeded faults (20% 5xx, 10% 429 on every REST call) the client completes the
 * read-files → commit → PR sequence with exactly one new commit and one PR. Half the seeds make
 * each 5xx a lost answer (the request ran, then 500), which is what must not be re-sent blindly.
 */

const BOT = { username: 'remediate-bot', email: 'bot@example.com', token: 'ATATT3xBotToken0123456789' };
const repo = { workspace: 'acme', repo: 'api' };
const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];

for (const seed of SEEDS) {
  const after = seed % 2 === 0;
  test(`seed ${seed}${after ? ' (5xx after the request ran)' : ''}: one commit and one PR`, async (t) => {
    const running = await startEmulatorServer();
    t.after(() => running.close());
    const admin = emulatorAdmin(running.baseUrl);
    await admin.addUser({ ...BOT, scopes: ALL_APP_SCOPES, workspaces: { acme: 'owner' } });
    const { commit: base } = await admin.addRepository('acme', 'api', {
      files: { 'src/app.js': 'eval(input);\n', 'src/db.js': 'query("x" + y);\n', 'run.sh': { content: '#!/bin/sh\n', executable: true } },
    });
    const client = createBitbucketClient({
      baseUrl: running.baseUrl,
      fetch: nodeFetch,
      credentials: { email: BOT.email, apiToken: BOT.token },
      sleep: async () => {},
      random: () => 0.5,
      maxAttempts: 6,
    });
    await admin.setFaults({ rate5xx: 0.2, rate429: 0.1, seed, after });

    const repository = await client.getRepository(repo);
    const main = await client.getBranch(repo, repository.mainBranch);
    assert.ok(main);
    const files = await client.listFiles(repo, main.hash);
    const contents = await Promise.all(files.filter((path) => path.endsWith('.js')).map((path) => client.readFile(repo, main.hash, path)));
    const branch = 'remediate/fix-1';
    const tip = await client.commitFiles({
      repo,
      branch,
      parent: main.hash,
      message: 'Fix 2 findings',
      files: files.filter((path) => path.endsWith('.js')).map((path, i) => ({ path, content: `// fixed\n${contents[i] ?? ''}` })),
    });
    const existing = await client.listPullRequests(repo, { sourceBranch: branch });
    const pr = existing[0] ?? (await client.createPullRequest({ repo, title: 'Fix 2 findings', description: 'd', sourceBranch: branch, destinationBranch: 'main' }));

    await admin.clearFaults();
    const record = running.emulator.repository('acme', 'api');
    assert.ok(record);
    assert.equal(record.branches[branch], tip.hash);
    assert.deepEqual(record.commits[tip.hash]?.parents, [base], 'exactly one commit on the branch, directly on main');
    assert.equal(Object.keys(record.commits).length, 2, 'no other commit was made');
    assert.equal(record.pullRequests.length, 1);
    assert.equal(record.pullRequests[0]?.id, pr.id);
    const faults = running.emulator.requestLog().filter((entry) => entry.status >= 429).length;
    assert.ok(faults > 0, 'faults were injected');
  });
}
