/**
 * Ready-to-paste CI steps that upload SARIF to the app's web trigger with the upload token kept in
 * a secured variable. Each CI names the repository, commit and branch with its own variables.
 */
export type CiKind = 'pipelines' | 'jenkins' | 'github' | 'circleci';

export interface CiSnippet {
  kind: CiKind;
  label: string;
  /** Where the snippet goes and how to store the token as a secret there. */
  where: string;
  text: string;
}

const withQuery = (uploadUrl: string, query: string): string => `${uploadUrl}${uploadUrl.includes('?') ? '&' : '?'}${query}`;

const curl = (indent: string, tokenRef: string, target: string): string[] => [
  `${indent}curl --fail-with-body --silent --show-error -X POST`,
  `${indent}  -H "Authorization: Bearer ${tokenRef}"`,
  `${indent}  -H "Content-Type: application/sarif+json"`,
  `${indent}  --data-binary @results.sarif`,
  `${indent}  "${target}"`,
];

/** The `bitbucket-pipelines.yml` step an admin pastes to upload SARIF after the scanners run. */
export function pipelinesSnippet(uploadUrl: string): string {
  const target = withQuery(uploadUrl, 'repository=$BITBUCKET_REPO_FULL_NAME&commit=$BITBUCKET_COMMIT&branch=$BITBUCKET_BRANCH');
  return [
    '- step:',
    '    name: Upload SARIF to Remediate',
    '    script:',
    '      # Run your scanners first so that results.sarif exists.',
    '      - >-',
    '        curl --fail-with-body --silent --show-error -X POST',
    '        -H "Authorization: Bearer $REMEDIATE_UPLOAD_TOKEN"',
    '        -H "Content-Type: application/sarif+json"',
    '        --data-binary @results.sarif',
    `        "${target}"`,
    '',
  ].join('\n');
}

/** A Jenkinsfile stage; the token is a "Secret text" credential with the id remediate-upload-token. */
export function jenkinsSnippet(uploadUrl: string, repository: string): string {
  const target = withQuery(uploadUrl, `repository=${repository}&commit=$GIT_COMMIT&branch=$BRANCH_NAME`);
  return [
    "stage('Upload SARIF to Remediate') {",
    '  steps {',
    "    withCredentials([string(credentialsId: 'remediate-upload-token', variable: 'REMEDIATE_UPLOAD_TOKEN')]) {",
    "      sh '''",
    ...curl('        ', '$REMEDIATE_UPLOAD_TOKEN', target).map((line, i, all) => (i < all.length - 1 ? `${line} \\` : line)),
    "      '''",
    '    }',
    '  }',
    '}',
    '',
  ].join('\n');
}

/** A GitHub Actions step, for a repository mirrored to or built from GitHub; the token is a repository secret. */
export function githubActionsSnippet(uploadUrl: string, repository: string): string {
  const target = withQuery(uploadUrl, `repository=${repository}&commit=\${{ github.sha }}&branch=\${{ github.ref_name }}`);
  return [
    '- name: Upload SARIF to Remediate',
    '  env:',
    '    REMEDIATE_UPLOAD_TOKEN: ${{ secrets.REMEDIATE_UPLOAD_TOKEN }}',
    '  run: >-',
    ...curl('    ', '$REMEDIATE_UPLOAD_TOKEN', target).map((line) => line.replace(/^ {4} {2}/, '    ')),
    '',
  ].join('\n');
}

/** A CircleCI step; the token is a project environment variable (or a context). */
export function circleCiSnippet(uploadUrl: string, repository: string): string {
  const target = withQuery(uploadUrl, `repository=${repository}&commit=$CIRCLE_SHA1&branch=$CIRCLE_BRANCH`);
  return [
    '- run:',
    '    name: Upload SARIF to Remediate',
    '    command: |',
    ...curl('      ', '$REMEDIATE_UPLOAD_TOKEN', target).map((line, i, all) => (i < all.length - 1 ? `${line} \\` : line)),
    '',
  ].join('\n');
}

/**
 * Every snippet for the settings page. Outside Pipelines the CI does not know the Bitbucket
 * repository's full name, so `repository` (e.g. `acme/shop`) is written into the step.
 */
export function ciSnippets(uploadUrl: string, repository = 'WORKSPACE/REPOSITORY'): CiSnippet[] {
  return [
    {
      kind: 'pipelines',
      label: 'Bitbucket Pipelines',
      where: 'Add this step after your scanners in bitbucket-pipelines.yml. Store the token as a secured repository or workspace variable named REMEDIATE_UPLOAD_TOKEN.',
      text: pipelinesSnippet(uploadUrl),
    },
    {
      kind: 'jenkins',
      label: 'Jenkins',
      where: 'Add this stage to your Jenkinsfile. Store the token as a "Secret text" credential with the ID remediate-upload-token.',
      text: jenkinsSnippet(uploadUrl, repository),
    },
    {
      kind: 'github',
      label: 'GitHub Actions',
      where: 'Add this step to your workflow job. Store the token as an Actions secret named REMEDIATE_UPLOAD_TOKEN.',
      text: githubActionsSnippet(uploadUrl, repository),
    },
    {
      kind: 'circleci',
      label: 'CircleCI',
      where: 'Add this step to your job in .circleci/config.yml. Store the token as a project environment variable (or in a context) named REMEDIATE_UPLOAD_TOKEN.',
      text: circleCiSnippet(uploadUrl, repository),
    },
  ];
}
