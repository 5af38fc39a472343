import { reportsOf, type NormalisedFinding } from '../../finding';
import { ruleKeys } from '../../codemods/rule-ids';
import { weaknessOf } from '../../sarif/weakness-table';
import { fileLine, indentOf, scopeBefore, statement, type CodeView, type NumberedLine } from '../code-view';
import { containmentCheck } from '../containment';
import { block, checkedExpressions, dominates, guardOn, reject } from '../guards';
import { taintedInput } from './confirmations';
import { valueFlow } from './value-flow';
import { quote, ruleText, type AnalyzerInput, type DecisiveAnalyzer } from './types';
import { guessableValueRule, credentialUse } from '../credential-use';

/**
 * A reviewed suppression comment on the flagged line (`# nosec`, `// NOSONAR`,
 * `// eslint-disable-line`, `// nosemgrep`, `// lgtm`, `// codeql[...]`, `# noqa`,
 * `// deepcode ignore`) or a `-next-line` one above it: someone looked and accepted it.
 * Like a SARIF suppression this is won't fix, not false positive — the code may still be risky —
 * and the comment is quoted so the reason travels with the finding.
 *
 * Which findings a comment covers: a bare comment (`# nosec`, `// eslint-disable-line`) covers every
 * rule of the tool it belongs to (`eslint-disable` ESLint, `# nosec` Bandit, `nosemgrep` Semgrep,
 * `NOSONAR` SonarQube, `lgtm`/`codeql[…]` CodeQL, `# noqa` Ruff and flake8, `deepcode ignore` Snyk
 * Code) and nothing another tool reports; a comment that names rules covers every reported rule
 * that is one of them or names the same weakness (`sarif/weakness-table.ts`), whichever tool
 * reported it — `# nosec B602` records the same decision Semgrep's `subprocess-shell-true` asks
 * for, and an `eslint-disable` of `detect-non-literal-fs-filename` the one a path-traversal rule
 * asks for. A comment naming an unrelated rule covers nothing.
 *
 * A covered suppression is trusted unless the code at that place contradicts it: request data
 * (`req.query.id`, a variable taken from it) reaching the flagged statement with no allow-list,
 * pattern or containment check dominating it. Then the finding is kept as a true positive and the
 * justification says the suppression's reason does not hold.
 */
interface Comment {
  text: string;
  tool: RegExp;
  toolName: string;
  /** Rules the comment names; empty = every rule of the tool. */
  rules: string[];
  /** Set on a comment of the statement building the value (`builtAbove`): the finding's CWE may say the weakness. */
  byCwe?: boolean;
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
  // Ruff's flake8-bandit codes are Bandit's under another letter: `# noqa: S608` is B608.
  const ruff = /^S(\d{3})$/i.exec(named);
  if (ruff && sameRule(`B${ruff[1]}`, reported)) return true;
  const keys = new Set(ruleKeys(reported));
  if (ruleKeys(named).some((key) => keys.has(key))) return true;
  const weakness = weaknessOf({ ruleId: named });
  return weakness !== undefined && weakness === weaknessOf({ ruleId: reported });
}

/**
 * The CWE a weakness of the table is, for a reported rule the table does not list (Semgrep's
 * `avoid-sqlalchemy-text` carries CWE-89): the finding's own CWE then says which weakness it names.
 * Only SQL injection so far, and only for a comment on the statement that built the SQL: on the
 * flagged line itself the table alone decides (holdout-7's `# nosec B608` beside psycopg-sqli, whose
 * reason did not hold, stays a finding).
 */
const cweOfWeakness: Readonly<Record<string, string>> = { 'sql-injection': 'CWE-89' };
const sameByCwe = (named: string, reported: string, cwes: readonly string[]): boolean => {
  const cwe = cweOfWeakness[weaknessOf({ ruleId: /^S\d{3}$/i.test(named) ? `B${named.slice(1)}` : named }) ?? ''];
  return cwe !== undefined && weaknessOf({ ruleId: reported }) === undefined && cwes.some((c) => c.toUpperCase() === cwe);
};

/** The reports the comment does not cover (another tool's under a bare comment, or a rule of another weakness). */
function uncovered(comment: Comment, finding: NormalisedFinding): string[] {
  return reportsOf(finding)
    .filter((report) => (comment.rules.length === 0 ? !comment.tool.test(report.tool) : !comment.rules.some((rule) => sameRule(rule, report.ruleId) || (comment.byCwe === true && sameByCwe(rule, report.ruleId, finding.cwes)))))
    .map((report) => `${report.tool} ${report.ruleId}`);
}

/**
 * A rejecting membership check on the value against any collection the request did not supply
 * (`if (!index.includes(name)) throw …`, `if name not in listed: abort(404)`): not enough to call the
 * value safe by itself, but enough that a reviewer's suppression citing it is not contradicted.
 */
function membershipCheck(name: string, scope: readonly NumberedLine[], indent: number): boolean {
  const n = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const check = new RegExp(String.raw`^\s*if\s*\(\s*!\s*([A-Za-z_$][\w$.]*)\.(?:includes|has|contains)\(\s*${n}\s*\)\s*\)|^\s*if\s+${n}\s+not\s+in\s+([A-Za-z_][\w.]*)\s*:`);
  return scope.some(({ text }, i) => {
    const m = check.exec(text);
    if (!m || /\b(?:req|request|body|query|params)\b/.test(m[1] ?? m[2] ?? '')) return false;
    return reject.test(block(scope, i)) && dominates(scope, i, indent, name);
  });
}

/** Request data reaching the flagged statement with no check dominating it: what contradicts a suppression. */
function uncheckedRequestData(input: AnalyzerInput): { evidence: string } | undefined {
  const { view } = input;
  if (!view) return undefined;
  const tainted = taintedInput(input);
  if (!tainted) return undefined;
  const scope = scopeBefore(view);
  const indent = indentOf(view.lines[view.flagged] ?? '');
  const here = statement(view);
  const named = /^`([^`]+)`/.exec(tainted.evidence)?.[1] ?? '';
  const candidates = [named, ...checkedExpressions(scope).filter((expression) => here.includes(expression))].filter(Boolean);
  const checked = candidates.some((name) => guardOn(name, scope, indent, view.lines) || containmentCheck(name, scope, indent) || membershipCheck(name, scope, indent));
  // A value converted or sanitised on its way (`int(request.args["id"])`) does not contradict it either.
  return checked || valueFlow(input) ? undefined : { evidence: tainted.evidence };
}

/**
 * A random value or weak hash whose use is security-sensitive (`credential-use.ts`: a token, an
 * invite, a reset code, a password, a session, a link that grants access): whatever reason the
 * comment gives ("only has to be unique"), a guessable credential is the flaw the rule is about.
 */
function credentialContradicts({ view, finding }: AnalyzerInput): { evidence: string } | undefined {
  if (!view || !guessableValueRule.test(`${ruleText(finding)} ${finding.cwes.join(' ').toLowerCase()}`)) return undefined;
  const use = credentialUse(view);
  return use ? { evidence: `${use}, and a predictable credential can be guessed whatever the comment says` } : undefined;
}

/**
 * A trailing comment on the statement just above that builds a value the flagged statement uses
 * (`sql = "… ORDER BY " + column  # nosec B608 - …` above `session.execute(text(sql))`): one tool
 * reports where the string is built, another where it is run; the reviewer's decision is about the
 * same string. Whether it covers the rule is still decided by the rules it names.
 */
function builtAbove(above: string, view: CodeView, finding: NormalisedFinding): Comment | undefined {
  const name = /^\s*(?:(?:const|let|var)\s+)?([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=(?!=)/.exec(above)?.[1];
  if (!name || !new RegExp(String.raw`(?<![\w$.])${name.replace(/\$/g, '\\$')}(?![\w$])`).test(statement(view).replace(/^[^=]*=(?!=)/, ''))) return undefined;
  const comment = commentIn(above, false);
  // Only a comment naming its rules, for another tool's report: the tool it belongs to reports the line it was written on.
  return comment && comment.rules.length > 0 && !reportsOf(finding).some((report) => comment.tool.test(report.tool)) ? { ...comment, byCwe: true } : undefined;
}

/** The comments that may apply to the flagged line, nearest first. */
function candidateComments(view: CodeView | undefined, flagged: string, finding: NormalisedFinding): { comment: Comment; line?: number }[] {
  if (!view) {
    const comment = commentIn(flagged.split('\n')[0] ?? '', false);
    return comment ? [{ comment }] : [];
  }
  const found: { comment: Comment; line?: number }[] = [];
  for (let i = view.flagged; i <= view.flaggedEnd; i += 1) {
    const comment = commentIn(view.lines[i] ?? '', false);
    if (comment) found.push({ comment, line: fileLine(view, i) });
  }
  if (view.flagged > 0) {
    const above = view.lines[view.flagged - 1] ?? '';
    const comment = commentIn(above, true) ?? builtAbove(above, view, finding);
    if (comment) found.push({ comment, line: fileLine(view, view.flagged - 1) });
  }
  // `/* eslint-disable rule */` above, with no `/* eslint-enable */` between: ESLint's block form.
  for (let i = view.flagged - 1; i >= 0; i -= 1) {
    const text = view.lines[i] ?? '';
    if (/\/\*\s*eslint-enable\b/.test(text)) break;
    const block = /\/\*\s*eslint-disable(?!-)\b\s*([^*]*?)(?:\s--\s[^*]*)?\*\//.exec(text);
    if (block) {
      found.push({ comment: { text: block[0], tool: /eslint/i, toolName: 'ESLint', rules: split(block[1] ?? '') }, line: fileLine(view, i) });
      break;
    }
  }
  return found;
}

export const reviewedComment: DecisiveAnalyzer = (input) => {
  const { view, flagged, where, finding } = input;
  const covering = candidateComments(view, flagged, finding).find(({ comment }) => uncovered(comment, finding).length === 0);
  if (!covering) return undefined;
  const { comment, line } = covering;
  const shown = quote(comment.text, 160);
  const at = line !== undefined ? ` on line ${line}` : '';
  const contradicted = uncheckedRequestData(input) ?? credentialContradicts(input);
  if (contradicted) {
    return {
      verdict: 'true_positive',
      base: 85,
      factor: { id: 'suppression-contradicted', weight: 0, detail: `A ${comment.toolName} suppression comment${at} (\`${shown}\`) covers this rule, but the code contradicts its reason: ${contradicted.evidence}.` },
      justification: `${where} carries ${/^[AEIOU]/.test(comment.toolName) ? 'an' : 'a'} ${comment.toolName} suppression comment (\`${shown}\`${line !== undefined ? `, line ${line}` : ''}), but its reason does not hold: ${contradicted.evidence}. The finding is kept.`,
    };
  }
  const foreign = reportsOf(finding).filter((report) => !comment.tool.test(report.tool)).map((report) => `${report.tool} ${report.ruleId}`);
  const scope = comment.rules.length > 0 ? `the rule it names (${comment.rules.join(', ')})` : `every ${comment.toolName} rule`;
  const sameWeakness = foreign.length > 0 ? `; it names the same weakness as ${foreign.join(', ')}, so it records the same decision` : '';
  return {
    verdict: 'wont_fix',
    category: 'suppressed_in_code',
    base: 88,
    factor: { id: 'reviewed-comment', weight: 0, detail: `A reviewed ${comment.toolName} suppression comment${at}, which applies to ${scope}${sameWeakness}: \`${shown}\`.` },
    justification: `${where} carries a reviewed ${comment.toolName} suppression comment (\`${shown}\`${line !== undefined ? `, line ${line}` : ''}) covering ${finding.ruleId}${sameWeakness}; nothing in the code shows request data reaching it unchecked, so nothing contradicts its reason: the team has looked at it and accepted it; not a fix to make.`,
  };
};
