/** The `bitbucket-pipelines.yml` step an admin pastes to upload SARIF after the scanners run. */
export function pipelinesSnippet(uploadUrl: string): string {
  const separator = uploadUrl.includes('?') ? '&' : '?';
  const target = `${uploadUrl}${separator}repository=$BITBUCKET_REPO_FULL_NAME&commit=$BITBUCKET_COMMIT&branch=$BITBUCKET_BRANCH`;
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
