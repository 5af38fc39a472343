/**
 * Schema for findings, scans and pull requests. Every statement runs unchanged on Forge SQL
 * (MySQL/TiDB) and on SQLite: VARCHAR keys with lengths, MEDIUMTEXT for JSON, no foreign keys.
 */
export const migrations: readonly { name: string; statement: string }[] = [
  {
    name: '001-create-scans',
    statement: `CREATE TABLE IF NOT EXISTS scans (
      id VARCHAR(64) NOT NULL PRIMARY KEY,
      workspace_id VARCHAR(64) NOT NULL,
      repo_uuid VARCHAR(64) NOT NULL,
      repo_full_name VARCHAR(255) NOT NULL,
      main_branch VARCHAR(255) NOT NULL,
      commit_sha VARCHAR(40) NOT NULL,
      branch VARCHAR(255),
      status VARCHAR(16) NOT NULL,
      tools TEXT NOT NULL,
      counts TEXT NOT NULL,
      skipped MEDIUMTEXT NOT NULL,
      pull_requests TEXT NOT NULL,
      error TEXT,
      created_at VARCHAR(32) NOT NULL,
      updated_at VARCHAR(32) NOT NULL
    )`,
  },
  { name: '002-index-scans', statement: 'CREATE INDEX scans_by_repo ON scans (repo_uuid, created_at)' },
  {
    name: '003-create-scan-findings',
    statement: `CREATE TABLE IF NOT EXISTS scan_findings (
      scan_id VARCHAR(64) NOT NULL,
      seq INT NOT NULL,
      data MEDIUMTEXT NOT NULL,
      PRIMARY KEY (scan_id, seq)
    )`,
  },
  {
    name: '004-create-findings',
    statement: `CREATE TABLE IF NOT EXISTS findings (
      id VARCHAR(64) NOT NULL PRIMARY KEY,
      workspace_id VARCHAR(64) NOT NULL,
      repo_uuid VARCHAR(64) NOT NULL,
      fingerprint VARCHAR(64) NOT NULL,
      rule_id VARCHAR(255) NOT NULL,
      tools VARCHAR(1024) NOT NULL,
      path VARCHAR(1024),
      line INT,
      severity VARCHAR(16) NOT NULL,
      severity_rank INT NOT NULL,
      verdict VARCHAR(16) NOT NULL,
      confidence INT NOT NULL,
      status VARCHAR(16) NOT NULL,
      codemod_id VARCHAR(128),
      pr_id INT,
      data MEDIUMTEXT NOT NULL,
      first_seen_scan VARCHAR(64) NOT NULL,
      last_seen_scan VARCHAR(64) NOT NULL,
      created_at VARCHAR(32) NOT NULL,
      updated_at VARCHAR(32) NOT NULL,
      UNIQUE (repo_uuid, fingerprint)
    )`,
  },
  { name: '005-index-findings', statement: 'CREATE INDEX findings_by_repo ON findings (repo_uuid, severity_rank, id)' },
  {
    name: '006-create-pull-requests',
    statement: `CREATE TABLE IF NOT EXISTS pull_requests (
      repo_uuid VARCHAR(64) NOT NULL,
      id INT NOT NULL,
      workspace_id VARCHAR(64) NOT NULL,
      branch VARCHAR(255) NOT NULL,
      title VARCHAR(512) NOT NULL,
      url VARCHAR(1024) NOT NULL,
      state VARCHAR(16) NOT NULL,
      codemod_id VARCHAR(128) NOT NULL,
      finding_ids MEDIUMTEXT NOT NULL,
      created_at VARCHAR(32) NOT NULL,
      updated_at VARCHAR(32) NOT NULL,
      PRIMARY KEY (repo_uuid, id)
    )`,
  },
  // Issue 7: what the PR lifecycle remembers per pull request (our last commit on the branch, the
  // description hash, findings we told reviewers we could not add), as JSON.
  { name: '007-pull-requests-lifecycle', statement: 'ALTER TABLE pull_requests ADD COLUMN lifecycle MEDIUMTEXT' },
  // Issue 7: each scan job's persisted steps (groups planned, committed, PR opened), so a retry resumes.
  { name: '008-scans-progress', statement: 'ALTER TABLE scans ADD COLUMN progress MEDIUMTEXT' },
  // Issue 7: one scan job per repository at a time; a lock older than 15 minutes is stale.
  {
    name: '009-create-scan-locks',
    statement: `CREATE TABLE IF NOT EXISTS scan_locks (
      repo_uuid VARCHAR(64) NOT NULL PRIMARY KEY,
      scan_id VARCHAR(64) NOT NULL,
      acquired_at VARCHAR(32) NOT NULL
    )`,
  },
  // Issue 7: when the scheduled reconcile last asked Bitbucket about an open pull request, so each
  // run starts with the pull requests checked longest ago (never checked: NULL, first in both SQLs).
  { name: '010-pull-requests-reconcile-checked-at', statement: 'ALTER TABLE pull_requests ADD COLUMN checked_at VARCHAR(32)' },
  { name: '011-index-pull-requests-by-check', statement: 'CREATE INDEX pull_requests_by_check ON pull_requests (state, checked_at)' },
  // Issue 12: the analyses (`tool|category`) an upload held, as JSON; only a later scan of the same
  // analysis may call a finding gone.
  { name: '012-scans-analyses', statement: 'ALTER TABLE scans ADD COLUMN analyses TEXT' },
  // Issue 12: the uploads of one (repository, commit) waiting together are processed as one batch,
  // named by the scan whose job runs it.
  { name: '013-scans-batch', statement: 'ALTER TABLE scans ADD COLUMN batch_id VARCHAR(64)' },
  { name: '014-index-scans-by-commit', statement: 'CREATE INDEX scans_by_commit ON scans (repo_uuid, commit_sha)' },
  // Issue 12: fingerprints of results folded into a finding (another scanner or rule at the same
  // place), so a later upload of any of them lands on the finding without changing its fingerprint.
  {
    name: '015-create-finding-aliases',
    statement: `CREATE TABLE IF NOT EXISTS finding_aliases (
      repo_uuid VARCHAR(64) NOT NULL,
      alias VARCHAR(64) NOT NULL,
      fingerprint VARCHAR(64) NOT NULL,
      PRIMARY KEY (repo_uuid, alias)
    )`,
  },
  // Issue 16: an upload may name the pull request it scans (`pullRequest={id}`).
  { name: '016-scans-pull-request', statement: 'ALTER TABLE scans ADD COLUMN pr_id INT' },
  // Issue 16: findings of a pull request's scans live beside the repository's, apart from them: the
  // repository page, its counts and the main branch's pull requests never see them.
  { name: '017-findings-pr-scope', statement: 'ALTER TABLE findings ADD COLUMN pr_scope INT' },
  // Issue 16: per scanned pull request, what the merge check and the PR comment need: the commits
  // seen, the check's result for the last scanned commit, the comment Remediate keeps up to date.
  {
    name: '018-create-pull-request-scans',
    statement: `CREATE TABLE IF NOT EXISTS pull_request_scans (
      repo_uuid VARCHAR(64) NOT NULL,
      pr_id INT NOT NULL,
      data MEDIUMTEXT NOT NULL,
      updated_at VARCHAR(32) NOT NULL,
      PRIMARY KEY (repo_uuid, pr_id)
    )`,
  },
  // Issue 14: the upload body as received (base64, in slices), normalised again by the scan job, so
  // the web trigger answers without serialising and writing every finding (uploads-repository.ts).
  {
    name: '019-create-scan-uploads',
    statement: `CREATE TABLE IF NOT EXISTS scan_uploads (
      scan_id VARCHAR(64) NOT NULL,
      seq INT NOT NULL,
      encoding VARCHAR(16) NOT NULL,
      data MEDIUMTEXT NOT NULL,
      PRIMARY KEY (scan_id, seq)
    )`,
  },
  // Issue 12: the upload's category, so the scan job normalises its stored body into the same analysis.
  { name: '020-scans-category', statement: 'ALTER TABLE scans ADD COLUMN category VARCHAR(255)' },
];
