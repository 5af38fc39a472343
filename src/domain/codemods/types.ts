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
 * What the scan learnt about the repository from its manifests (package.json, requirements*.txt,
 * pyproject.toml, pom.xml, build.gradle), read once per scan: a codemod may rely on a dependency
 * the flagged file does not import (the database driver, the web framework).
 */
export interface ProjectContext {
  /** Declared dependency names as the manifests write them (npm names, PyPI names lower-cased, Maven `group:artifact`), sorted. */
  dependencies: readonly string[];
  /** The version or range the manifest gives per dependency (`{ "js-yaml": "^3.13.1" }`), when it gives one. */
  versions?: Readonly<Record<string, string>>;
  /** Declared language levels, when a manifest states one: `node` (engines), `python` (requires-python), `java` (release/source). */
  languageLevels?: { node?: string; python?: string; java?: string };
}

/** What a codemod sees when asked to fix one node. */
export interface FixContext {
  node: Node;
  root: Node;
  source: string;
  language: LanguageId;
  path: string;
  /** The repository's manifests, when the caller read them (a scan job does); absent otherwise. */
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
