/** The shape of a codemod: metadata for the PR body, a detector, and a fix for one detected node. */
import type { Node } from 'web-tree-sitter';
import type { LanguageId } from './parser';

/** Replace `source.slice(start, end)` with `text`. Offsets are string (UTF-16) indices into the original source. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/**
 * An import a fix relies on, added once in the file's style. Python: `name` given → `from module import name`,
 * absent → `import module`. JavaScript/TypeScript: `name` required → `import { name } from 'module'` or
 * `const { name } = require('module')`. Java: `module` is the package, `name` the class → `import module.name;`.
 */
export interface ImportRequest {
  module: string;
  name?: string;
}

export type ReviewGuidance = 'merge-without-review' | 'merge-after-cursory-review' | 'merge-after-review';

/** Rule ids the codemod answers, per scanner, as the scanner writes them (full or short forms). */
export interface RuleIds {
  codeql?: string[];
  semgrep?: string[];
  bandit?: string[];
  eslint?: string[];
  sonar?: string[];
  snyk?: string[];
  checkmarx?: string[];
  generic?: string[];
}

export interface CodemodMetadata {
  /** kebab-case, stable: it appears in PR bodies and stored fixes. */
  id: string;
  title: string;
  /** One sentence, used as the PR title. */
  summary: string;
  /** Markdown: why the code is unsafe and what the change does. */
  description: string;
  reviewGuidance: ReviewGuidance;
  /** Why the review guidance is what it is, one or two sentences. */
  reviewGuidanceReason: string;
  languages: LanguageId[];
  /** `CWE-<n>` form. */
  cwes: string[];
  owasp?: string[];
  references: { title: string; url: string }[];
  ruleIds: RuleIds;
  /** A noun phrase for reasons: "call to yaml.load" gives "no call to yaml.load on line 12". */
  target: string;
}

/**
 * What the project's manifests say, for fixes the flagged file alone cannot decide (which database driver a
 * `client.query(…)` passed in as a parameter belongs to). Read once per scan by the caller; optional everywhere.
 */
export interface ProjectContext {
  /** Package names the project depends on (package.json dependencies, requirements, pom artifacts), any order. */
  dependencies: readonly string[];
  /** The version or range the manifest gives per package (`{ "js-yaml": "^3.13.1" }`), when known. */
  versions?: Readonly<Record<string, string>>;
}

/** What a codemod sees when asked to fix one node. */
export interface FixContext {
  node: Node;
  root: Node;
  source: string;
  language: LanguageId;
  path: string;
  /** The project's manifests, when the caller read them. */
  project?: ProjectContext;
}

export interface FixApplied {
  edits: TextEdit[];
  /** One sentence for the PR body, about this change. */
  description: string;
  imports?: ImportRequest[];
}

export interface FixDeclined {
  unfixed: string;
  /** True when the node is already safe: the detector matched the shape but there is nothing to fix. */
  alreadySafe?: boolean;
}

export type FixOutcome = FixApplied | FixDeclined;

export interface Codemod extends CodemodMetadata {
  /**
   * The detector: every node of the shape this codemod is about, safe variants included (its `fix`
   * explains why it leaves those alone). Document order.
   */
  candidates(root: Node, language: LanguageId): Node[];
  /** Edits for one candidate, or the reason it is left alone. Must be idempotent: run on its own output it declines. */
  fix(ctx: FixContext): FixOutcome;
}

export function isApplied(outcome: FixOutcome): outcome is FixApplied {
  return 'edits' in outcome;
}
