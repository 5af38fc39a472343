import { reportsOf, type NormalisedFinding } from '../../finding';
import { ruleKeys } from '../../codemods/rule-ids';
import { weaknessOf } from '../../sarif/weakness-table';
import { fileLine } from '../code-view';
import { quote, type DecisiveAnalyzer } from './types';

/**
 * A reviewed suppression comment on the flagged line (`# nosec`, `// NOSONAR`,
 * `// eslint-disable-line`, `// nosemgrep`, `// lgtm`, `// codeql[...]`, `# noqa`,
 * `// deepcode ignore`) or a `-next-line` one above it: someone looked and accepted it.
 * Like a SARIF suppression this is won't fix, not false positive — the code may still be risky —
 * and the comment is quoted so the reason travels with the finding.
 *
 * A comment is read the way the tool it names reads it: `eslint-disable` silences ESLint,
 * `# nosec` Bandit, `nosemgrep` Semgrep, `NOSONAR` SonarQube, `lgtm`/`codeql[…]` CodeQL, `# noqa`
 * Ruff and flake8, `deepcode ignore` Snyk Code. It sets a finding aside only when every rule that
 * reported the finding belongs to that tool, and — when the comment names rules — each is one of
 * them or names the same weakness (`sarif/weakness-table.ts`). An `eslint-disable` for an ESLint
 * rule says nothing about what CodeQL reports on the same line.
 */
interface Comment {
  text: string;
  tool: RegExp;
  toolName: string;
  /** Rules the comment names; empty = every rule of the tool. */
  rules: string[];
}

const split = (list: string): string[] => list.split(/[\s,]+/).map((r) => r.trim()).filter(Boolean);

const forms: { pattern: RegExp; tool: RegExp; toolName: string; rules: (m: RegExpExecArray) => string[] }[] = [
  // `// eslint-disable-next-line rule-a, rule-b -- reason`
  { pattern: /\/[/*]\s*eslint-disable(?:-next-line|-line)?\b([^\n]*?)(?:\s--\s.*|\*\/.*)?$/, tool: /eslint/i, toolName: 'ESLint', rules: (m) => split(m[1] ?? '') },
  // `# nosec`, `# nosec B602, B607 - reason`, `# nosec: B602`
  { pattern: /#\s*nosec\b:?([^\n]*)$/, tool: /bandit/i, toolName: 'Bandit',
    rules: (m) => split((m[1] ?? '').split(/\s-+\s/)[0] ?? '').filter((r) => /^B\d{3}$/i.test(r) || /^[a-z]+(?:_[a-z0-9]+)+$/.test(r)) },
  // `# nosemgrep`, `// nosemgrep: rule-id`
  { pattern: /(?:#|\/\/)\s*nosem(?:grep)?\b(?::\s*([\w.,\s/-]+))?/, tool: /semgrep/i, toolName: 'Semgrep', rules: (m) => split(m[1] ?? '') },
  { pattern: /(?:#|\/\/)\s*NOSONAR\b.*$/, tool: /sonar/i, toolName: 'SonarQube', rules: () => [] },
  // `// lgtm[js/path-injection]`, `// codeql[js/path-injection]`
  { pattern: /(?:#|\/\/)\s*(?:lgtm|codeql)\b(?:\s*\[([^\]]*)\])?.*$/, tool: /codeql|lgtm/i, toolName: 'CodeQL', rules: (m) => split(m[1] ?? '') },
  // `# noqa`, `# noqa: S608, E501`
  { pattern: /#\s*noqa\b(?::\s*([\w\s,]+))?.*$/i, tool: /ruff|flake8/i, toolName: 'Ruff/flake8', rules: (m) => split(m[1] ?? '') },
  // `// deepcode ignore Sqli: reason`
  { pattern: /(?:#|\/\/)\s*(?:file\s+)?deepcode\s+ignore\s+([\w/]+)[^\n]*$/, tool: /snyk|deepcode/i, toolName: 'Snyk Code', rules: (m) => split(m[1] ?? '') },
];

const onLineAbove = /^\s*(?:\/\/\s*eslint-disable-next-line\b|(?:#|\/\/)\s*nosem(?:grep)?\b|(?:#|\/\/)\s*NOSONAR\b|#\s*nosec\b|(?:#|\/\/)\s*(?:lgtm|codeql)\b|(?:#|\/\/)\s*deepcode\s+ignore\b)/;

function commentIn(line: string, above: boolean): Comment | undefined {
  if (above && !onLineAbove.test(line)) return undefined;
  // On the flagged line only the `-next-line` forms do not apply (they are about the line below).
  if (!above && /eslint-disable-next-line/.test(line)) return undefined;
  for (const form of forms) {
    const m = form.pattern.exec(line);
    if (m) return { text: above ? line.trim() : m[0], tool: form.tool, toolName: form.toolName, rules: form.rules(m) };
  }
  return undefined;
}

/** Two rule ids are the same rule when their keys meet, or name the same weakness. */
function sameRule(named: string, reported: string): boolean {
  const keys = new Set(ruleKeys(reported));
  if (ruleKeys(named).some((key) => keys.has(key))) return true;
  const weakness = weaknessOf({ ruleId: named });
  return weakness !== undefined && weakness === weaknessOf({ ruleId: reported });
}

/** The reports the comment does not cover (another tool's, or a rule it does not name). */
function uncovered(comment: Comment, finding: NormalisedFinding): string[] {
  return reportsOf(finding)
    .filter((report) => !comment.tool.test(report.tool) || (comment.rules.length > 0 && !comment.rules.some((rule) => sameRule(rule, report.ruleId))))
    .map((report) => `${report.tool} ${report.ruleId}`);
}

export const reviewedComment: DecisiveAnalyzer = ({ view, flagged, where, finding }) => {
  let comment: Comment | undefined;
  let line: number | undefined;
  if (view) {
    for (let i = view.flagged; i <= view.flaggedEnd && !comment; i += 1) {
      comment = commentIn(view.lines[i] ?? '', false);
      line = fileLine(view, i);
    }
    if (!comment && view.flagged > 0) {
      comment = commentIn(view.lines[view.flagged - 1] ?? '', true);
      line = fileLine(view, view.flagged - 1);
    }
    // `/* eslint-disable rule */` above, with no `/* eslint-enable */` between: ESLint's block form.
    for (let i = view.flagged - 1; i >= 0 && !comment; i -= 1) {
      const text = view.lines[i] ?? '';
      if (/\/\*\s*eslint-enable\b/.test(text)) break;
      const block = /\/\*\s*eslint-disable(?!-)\b\s*([^*]*?)(?:\s--\s[^*]*)?\*\//.exec(text);
      if (block) {
        comment = { text: block[0], tool: /eslint/i, toolName: 'ESLint', rules: split(block[1] ?? '') };
        line = fileLine(view, i);
      }
    }
  } else {
    comment = commentIn(flagged.split('\n')[0] ?? '', false);
  }
  if (!comment || uncovered(comment, finding).length > 0) return undefined;
  const shown = quote(comment.text, 160);
  return {
    verdict: 'wont_fix',
    category: 'suppressed_in_code',
    base: 88,
    factor: { id: 'reviewed-comment', weight: 0, detail: `A reviewed ${comment.toolName} suppression comment${line !== undefined ? ` on line ${line}` : ''}, which applies to ${comment.rules.length > 0 ? `the rule it names (${comment.rules.join(', ')})` : `every ${comment.toolName} rule`}: \`${shown}\`.` },
    justification: `${where} carries a reviewed ${comment.toolName} suppression comment (\`${shown}\`${line !== undefined ? `, line ${line}` : ''}) covering ${finding.ruleId}: the team has looked at it and accepted it; not a fix to make.`,
  };
};
