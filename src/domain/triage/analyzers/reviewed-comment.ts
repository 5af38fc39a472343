import { fileLine } from '../code-view';
import { quote, type DecisiveAnalyzer } from './types';

/**
 * A reviewed suppression comment on the flagged line (`# nosec`, `// NOSONAR`,
 * `// eslint-disable-line`, `// nosemgrep`, `// lgtm`, `// codeql[...]`) or an
 * `eslint-disable-next-line` / `nosemgrep` on the line above: someone looked and accepted it.
 * Like a SARIF suppression this is won't fix, not false positive — the code may still be risky —
 * and the comment is quoted so the reason travels with the finding.
 */
const onLine = /(#\s*nosec\b.*|\/\/\s*NOSONAR\b.*|#\s*NOSONAR\b.*|\/\/\s*eslint-disable-line\b.*|(#|\/\/)\s*nosemgrep\b.*|\/\/\s*lgtm\b.*|\/\/\s*codeql\[.*)$/;
const onLineAbove = /^\s*(\/\/\s*eslint-disable-next-line\b.*|(#|\/\/)\s*nosemgrep\b.*|\/\/\s*NOSONAR\b.*|#\s*nosec\b.*)$/;

export const reviewedComment: DecisiveAnalyzer = ({ view, flagged, where }) => {
  let comment: string | undefined;
  let line: number | undefined;
  if (view) {
    for (let i = view.flagged; i <= view.flaggedEnd && !comment; i += 1) {
      comment = onLine.exec(view.lines[i] ?? '')?.[0];
      line = fileLine(view, i);
    }
    if (!comment && view.flagged > 0) {
      comment = onLineAbove.exec(view.lines[view.flagged - 1] ?? '')?.[0]?.trim();
      line = fileLine(view, view.flagged - 1);
    }
  } else {
    comment = onLine.exec(flagged)?.[0];
  }
  if (!comment) return undefined;
  const shown = quote(comment, 160);
  return {
    verdict: 'wont_fix',
    category: 'suppressed_in_code',
    base: 88,
    factor: { id: 'reviewed-comment', weight: 0, detail: `A reviewed suppression comment${line !== undefined ? ` on line ${line}` : ''}: \`${shown}\`.` },
    justification: `${where} carries a reviewed suppression comment (\`${shown}\`${line !== undefined ? `, line ${line}` : ''}): the team has looked at it and accepted it; not a fix to make.`,
  };
};
