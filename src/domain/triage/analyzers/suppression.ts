import type { DecisiveAnalyzer } from './types';

/**
 * A SARIF suppression is a decision someone already made in the source or the scanner config.
 * The verdict is won't-fix (the finding may be real); merge-findings turns it into the
 * `suppressed` status and keeps the justification text verbatim.
 */
export const suppression: DecisiveAnalyzer = ({ finding, where }) => {
  if (!finding.suppression) return undefined;
  const tools = finding.tools.map((tool) => tool.name).join(' and ');
  const reports = finding.tools.length > 1 ? 'report' : 'reports';
  const why = finding.suppression.justification ? `: "${finding.suppression.justification}"` : '';
  return {
    verdict: 'wont_fix',
    // Suppressed in the scanner's configuration is a project decision; in the source, a reviewed comment.
    category: finding.suppression.kind === 'external' ? 'policy' : 'suppressed_in_code',
    base: 95,
    factor: { id: 'suppressed', weight: 0, detail: `Suppressed in the scanner (${finding.suppression.kind})${why}.` },
    justification: `${tools} ${reports} this at ${where}, but it was suppressed in the source or scanner configuration${why}.`,
  };
};
