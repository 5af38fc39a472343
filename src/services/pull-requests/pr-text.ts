import type { Codemod } from '../../domain/codemods/types';
import type { Finding } from '../../domain/finding';
import { inert } from '../../domain/pr/inert-text';
import { pullRequestDescription, pullRequestTitle, readHiddenState, type PrContent, type PrFileChange } from '../../domain/pr/description';
import type { ServiceAccount } from '../settings-service';

const guidanceText: Record<Codemod['reviewGuidance'], string> = {
  'merge-without-review': 'Safe to merge after the build passes.',
  'merge-after-cursory-review': 'Give the change a quick read before merging.',
  'merge-after-review': 'Review the change carefully before merging.',
};

export interface PrText {
  title: string;
  description: string;
  /** The hash of the visible body, also kept in the description's hidden state. */
  bodyHash: string;
}

/** Title and description of a remediation PR for these findings and file changes. */
export function pullRequestText(input: Omit<PrContent, 'codemod'> & { codemod: Codemod }): PrText {
  const { codemod } = input;
  const content = {
    ...input,
    codemod: {
      id: codemod.id,
      title: codemod.title,
      summary: codemod.summary,
      description: codemod.description,
      reviewGuidance: `${guidanceText[codemod.reviewGuidance]} ${codemod.reviewGuidanceReason}`,
      references: codemod.references,
    },
  };
  const description = pullRequestDescription(content);
  return { title: pullRequestTitle(content), description, bodyHash: readHiddenState(description)?.bodyHash ?? '' };
}

/** The commit message: the title, the codemod's summary and where each finding was. */
export function commitMessage(title: string, codemod: Codemod, fixed: readonly Finding[]): string {
  const places = fixed.map((f) => inert(`${f.ruleId} at ${f.location?.path}:${f.location?.startLine}`).replace(/\s+/g, ' '));
  return `${title}\n\n${codemod.summary}\n\nFindings: ${places.join(', ')}`;
}

export const commitAuthor = (account: Pick<ServiceAccount, 'username' | 'email'>): string => `${account.username} <${account.email}>`;

/** Per-file line counts of two commits on one branch, added together. */
export function mergeFileChanges(earlier: readonly PrFileChange[], later: readonly PrFileChange[]): PrFileChange[] {
  const byPath = new Map(earlier.map((change) => [change.path, { ...change }]));
  for (const change of later) {
    const known = byPath.get(change.path);
    if (known) {
      known.linesAdded += change.linesAdded;
      known.linesRemoved += change.linesRemoved;
    } else byPath.set(change.path, { ...change });
  }
  return [...byPath.values()];
}
