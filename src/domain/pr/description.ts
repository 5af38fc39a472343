import { createHash } from 'node:crypto';
import { reportsOf, type Finding } from '../finding';
import { inert, inertCode, inertMarkdown as inline, linkPath } from './inert-text';
import { shownFactors } from '../triage/shown-factors';

/** Bitbucket accepts far more, but Renovate's tested ceiling for Cloud is 250,000 characters. */
export const MAX_DESCRIPTION_CHARS = 250_000;

export interface PrCodemod {
  id: string;
  title: string;
  summary: string;
  description: string;
  reviewGuidance: string;
  references: { title: string; url: string }[];
  /** Recorded in the hidden state so a later codemod change can be told from an old PR. */
  version?: string;
}

export interface PrFileChange {
  path: string;
  linesAdded: number;
  linesRemoved: number;
}

export interface PrContent {
  codemod: PrCodemod;
  findings: Finding[];
  files: PrFileChange[];
  /** `https://bitbucket.org/{workspace}/{repo}` — for links to the source at the scanned commit. */
  repositoryWebUrl: string;
  commit: string;
  scanId: string;
  /** What the PR covers besides the codemod, for the title: a file path (per-file) or `path:line` (per-finding). */
  scope?: string;
  /**
   * Signs the hidden state (an HMAC with the installation's key, bound to repository and branch:
   * `services/pull-requests/state-signature.ts`), so Remediate later trusts only states it wrote.
   */
  signState?: (fields: PrStateFields) => string;
  /** Findings in the changed files that no fix changed, each with why (the scan's dry run, or this fix step). */
  notFixed?: { finding: Finding; reason: string }[];
}

/** What the hidden state's signature covers: everything that decides what Remediate does with the PR. */
export interface PrStateFields {
  codemod: string;
  codemodVersion: string;
  fingerprints: string[];
  bodyHash: string;
}

/** The hidden state at the end of every description (an HTML comment Bitbucket does not render). */
export interface PrHiddenState extends PrStateFields {
  /** The signature (hex); empty when the state carries none (older PRs, or not Remediate's). */
  sig: string;
}

/**
 * Only the description's last line: the app writes its state there, on one line (JSON has no raw
 * newlines), and scanner text above it is inert (`inert-text.ts`), so a marker copied into a
 * message or rule id is never read.
 */
const HIDDEN = /(?:^|\n)<!-- remediate:state (\{[^\n]*\}) -->\s*$/;

/** Reads the hidden state back from a description, or undefined when there is none (not ours, or edited away). */
export function readHiddenState(description: string): PrHiddenState | undefined {
  const json = HIDDEN.exec(description)?.[1];
  if (json === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(json);
    if (typeof value !== 'object' || value === null) return undefined;
    const state = value as Record<string, unknown>;
    const fingerprints = Array.isArray(state.fingerprints) ? state.fingerprints.filter((fp): fp is string => typeof fp === 'string') : [];
    return {
      codemod: typeof state.codemod === 'string' ? state.codemod : '',
      codemodVersion: typeof state.codemodVersion === 'string' ? state.codemodVersion : '1',
      fingerprints,
      bodyHash: typeof state.bodyHash === 'string' ? state.bodyHash : '',
      sig: typeof state.sig === 'string' ? state.sig : '',
    };
  } catch {
    return undefined;
  }
}

const cweLink = (cwe: string): string => {
  const number = cwe.replace(/^CWE-/i, '');
  return `[${cwe}](https://cwe.mitre.org/data/definitions/${number}.html)`;
};

const verdictLabel: Record<Finding['verdict'], string> = {
  true_positive: 'True positive',
  false_positive: 'False positive',
  wont_fix: "Won't fix",
  suspicious: 'Suspicious',
};

function findingSection(finding: Finding, index: number, content: PrContent): string {
  const location = finding.location;
  const link = location
    ? `[${inline(location.path)}:${location.startLine}](${content.repositoryWebUrl}/src/${content.commit}/${linkPath(location.path)}#lines-${location.startLine})`
    : 'no file location';
  // Every scanner and rule that reported it: a weakness several scanners agree on is one finding.
  const rulesByTool = new Map<string, string[]>();
  for (const report of reportsOf(finding)) rulesByTool.set(report.tool, [...new Set([...(rulesByTool.get(report.tool) ?? []), report.ruleId])]);
  const reporters = finding.tools.map((tool) => {
    const rules = rulesByTool.get(tool.name) ?? [finding.ruleId];
    const name = tool.version ? `${tool.name} ${tool.version}` : tool.name;
    return `${inline(name)} (${rules.length === 1 ? 'rule' : 'rules'} ${rules.map(inertCode).join(', ')})`;
  });
  const lines = [
    `### ${index + 1}. ${inline(finding.ruleName ?? finding.ruleId)}`,
    '',
    `- **Where:** ${link}`,
    `- **Reported by:** ${reporters.join('; ')}`,
    `- **Severity:** ${finding.severity}${finding.cwes.length ? ` · ${finding.cwes.map(cweLink).join(', ')}` : ''}`,
    `- **Scanner message:** ${inline(finding.message)}`,
    `- **Triage:** ${verdictLabel[finding.verdict]}, confidence ${finding.confidence}/100. ${inline(finding.justification)}`,
  ];
  // The same factors the finding page shows, adding up to the confidence from the base.
  const factors = shownFactors(finding.confidence, finding.factors);
  if (factors.length > 0) {
    lines.push(`- **Confidence factors:** ${factors.map((f) => `${inline(f.detail)} (${f.weight >= 0 ? '+' : ''}${f.weight})`).join('; ')} = ${finding.confidence}`);
  }
  return lines.join('\n');
}

/** At most this many "not fixed" entries are listed; the repository page has the rest. */
const MAX_NOT_FIXED = 30;

/** Findings in the changed files left alone, so a reviewer does not take the PR for a clean sweep. */
function notFixedSection(content: PrContent): string {
  const entries = content.notFixed ?? [];
  if (entries.length === 0) return '';
  const lines = entries.slice(0, MAX_NOT_FIXED).map(({ finding, reason }) => {
    const where = finding.location ? `${finding.location.path}:${finding.location.startLine}` : 'no file location';
    const outcome = finding.fixOutcome;
    const tried = outcome?.kind === 'not-fixed' && outcome.tried.length > 1
      ? ` Tried: ${outcome.tried.map((t) => `\`${t.codemodId}\` (${inline(t.reason)})`).join('; ')}.`
      : '';
    return `- \`${finding.ruleId.replace(/`/g, "'")}\` at ${inline(where)}: ${inline(reason)}.${tried}`;
  });
  const more = entries.length - MAX_NOT_FIXED;
  return [
    '',
    '## Not fixed here',
    '',
    `Remediate tried ${entries.length === 1 ? 'this finding' : 'these findings'} in the changed files and left ${entries.length === 1 ? 'it' : 'them'} unchanged:`,
    '',
    ...lines,
    ...(more > 0 ? [`- …and ${more} more (the repository page lists them all).`] : []),
    '',
  ].join('\n');
}

export function pullRequestTitle(content: PrContent): string {
  const files = content.files.length;
  if (content.scope !== undefined) {
    const n = content.findings.length;
    return `Remediate: ${content.codemod.title} in ${inert(content.scope).replace(/\s+/g, ' ')} (${n} finding${n === 1 ? '' : 's'})`.slice(0, 255);
  }
  return `Remediate: ${content.codemod.title} (${content.findings.length} finding${content.findings.length === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'})`.slice(0, 255);
}

/** The pull request description: what, why, evidence, how to review, and how to say no. */
export function pullRequestDescription(content: PrContent): string {
  const { codemod } = content;
  const added = content.files.reduce((sum, file) => sum + file.linesAdded, 0);
  const removed = content.files.reduce((sum, file) => sum + file.linesRemoved, 0);
  const state = {
    app: 'remediate',
    codemod: codemod.id,
    scan: content.scanId,
    fingerprints: content.findings.map((finding) => finding.fingerprint),
    codemodVersion: codemod.version ?? '1',
  };
  const head = [
    `## ${codemod.summary}`,
    '',
    `Remediate found ${content.findings.length} security finding${content.findings.length === 1 ? '' : 's'} that this change fixes, and verified the fix: every changed file still parses, the vulnerable pattern is gone at each reported place, and running the fix again changes nothing.`,
    '',
    '## The fix',
    '',
    codemod.description.trim(),
    '',
    '## Findings',
    '',
  ].join('\n');
  const notFixed = notFixedSection(content);
  const tail = [
    ...(notFixed ? [notFixed] : []),
    '',
    '## Changes',
    '',
    ...content.files.map((file) => `- ${inertCode(file.path)}: +${file.linesAdded} −${file.linesRemoved}`),
    `- **Total:** ${content.files.length} file${content.files.length === 1 ? '' : 's'}, +${added} −${removed}`,
    '',
    '## How to review',
    '',
    codemod.reviewGuidance.trim(),
    '',
    ...(codemod.references.length ? ['**References:** ' + codemod.references.map((ref) => `[${inline(ref.title)}](${ref.url})`).join(' · '), ''] : []),
    '---',
    'Is this fix wrong? **Decline this pull request**: Remediate marks the fix declined and never proposes it again for these findings. The findings stay open; to dismiss one, do so with a reason on the repository\'s Remediate page.',
    '',
  ].join('\n');
  const hidden = (body: string): string => {
    const bodyHash = createHash('sha256').update(body).digest('hex').slice(0, 16);
    const fields: PrStateFields = { codemod: state.codemod, codemodVersion: state.codemodVersion, fingerprints: state.fingerprints, bodyHash };
    const sig = content.signState?.(fields);
    return `<!-- remediate:state ${JSON.stringify({ ...state, bodyHash, ...(sig === undefined ? {} : { sig }) })} -->`;
  };

  const sections = content.findings.map((finding, index) => findingSection(finding, index, content));
  let shown = sections.length;
  let body = `${head}${sections.join('\n\n')}\n${tail}`;
  while (body.length + 400 > MAX_DESCRIPTION_CHARS && shown > 1) {
    shown = Math.max(1, Math.floor(shown * 0.8));
    const omitted = sections.length - shown;
    body = `${head}${sections.slice(0, shown).join('\n\n')}\n\n_${omitted} more finding${omitted === 1 ? '' : 's'} not shown: the description would exceed Bitbucket's size limit. The repository page lists them all._\n${tail}`;
  }
  return `${body}\n${hidden(body)}`;
}
