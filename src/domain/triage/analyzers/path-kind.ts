import { classifyPath } from '../path-kinds';
import type { DecisiveAnalyzer } from './types';

/** Test, vendored, generated/minified and docs/example code does not ship as the product: won't fix. */
export const pathKind: DecisiveAnalyzer = ({ finding, where }) => {
  if (!finding.location) return undefined;
  const kind = classifyPath(finding.location.path);
  if (kind.kind === 'source') return undefined;
  return {
    verdict: 'wont_fix',
    // Vendored and generated code is not the team's to fix here; like docs it is set aside as not production code of this repository.
    category: kind.kind === 'test' ? 'test_code' : 'non_production',
    base: 85,
    factor: { id: `path-${kind.kind}`, weight: 0, detail: `${finding.location.path} is ${kind.reason}.` },
    justification: `${where} is ${kind.reason}, which does not ship to production; fixing it is not worth a pull request.`,
  };
};
