/** A Map-based codemod registry: register once per id, look up by rule id, else by CWE + language. */
import { catalogue } from './catalogue/index';
import { languageForPath } from './parser';
import { refusalFor } from './refusals';
import { normaliseCwe, ruleKeys } from './rule-ids';
import type { Codemod, RuleIds } from './types';

/** What the registry needs to know about a finding to pick codemods for it. */
export interface FindingKey {
  ruleId: string;
  cwes: string[];
  path: string;
}

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

function allRuleIds(ruleIds: RuleIds): string[] {
  return Object.values(ruleIds).flatMap((ids: string[] | undefined) => ids ?? []);
}

export class CodemodRegistry {
  private readonly byId = new Map<string, Codemod>();
  private readonly byRuleKey = new Map<string, Codemod[]>();

  constructor(codemods: Iterable<Codemod> = []) {
    for (const codemod of codemods) this.register(codemod);
  }

  /** Adds a codemod; throws on a duplicate or malformed id. */
  register(codemod: Codemod): this {
    if (!KEBAB.test(codemod.id)) throw new Error(`codemod id "${codemod.id}" is not kebab-case`);
    if (this.byId.has(codemod.id)) throw new Error(`duplicate codemod id "${codemod.id}"`);
    this.byId.set(codemod.id, codemod);
    const keys = new Set(allRuleIds(codemod.ruleIds).flatMap(ruleKeys));
    for (const key of keys) {
      const list = this.byRuleKey.get(key) ?? [];
      list.push(codemod);
      this.byRuleKey.set(key, list);
    }
    return this;
  }

  get(id: string): Codemod | undefined {
    return this.byId.get(id);
  }

  all(): Codemod[] {
    return [...this.byId.values()];
  }

  get size(): number {
    return this.byId.size;
  }

  /**
   * Codemods for a finding: those listing its rule id (any spelling; those listing it exactly as written
   * first, then registration order), else those sharing one of its CWEs. Only codemods for the file's
   * language are returned. Every one is a candidate: a shared rule id (`java:S2755`) lists them all. A rule with a
   * known refusal (`refusals.ts`) gets no CWE fallback.
   */
  find(finding: FindingKey): Codemod[] {
    const language = languageForPath(finding.path);
    if (language === undefined) return [];
    const forLanguage = (c: Codemod): boolean => c.languages.includes(language);
    const byRule = new Set<Codemod>();
    for (const key of ruleKeys(finding.ruleId)) {
      for (const codemod of this.byRuleKey.get(key) ?? []) byRule.add(codemod);
    }
    // Most specific first: a codemod listing the rule id exactly as written comes before one matched by a short key.
    const exact = finding.ruleId.trim().toLowerCase();
    const listsExactly = (c: Codemod): number => (allRuleIds(c.ruleIds).some((id) => id.toLowerCase() === exact) ? 0 : 1);
    const ruleMatches = this.all()
      .filter((c) => byRule.has(c) && forLanguage(c))
      .map((c, i) => ({ c, i, rank: listsExactly(c) }))
      .sort((a, b) => a.rank - b.rank || a.i - b.i)
      .map(({ c }) => c);
    if (ruleMatches.length > 0) return ruleMatches;
    // A rule known to have no safe automatic fix (pickle, hard-coded secrets) must not reach one through its CWE.
    if (refusalFor(finding.ruleId) !== undefined) return [];
    const cwes = new Set(finding.cwes.map(normaliseCwe).filter((c): c is string => c !== undefined));
    if (cwes.size === 0) return [];
    return this.all().filter((c) => forLanguage(c) && c.cwes.some((cwe) => cwes.has(normaliseCwe(cwe) ?? cwe)));
  }
}

/** A fresh registry holding every shipped codemod. Cheap; build one per job rather than sharing state. */
export function createDefaultRegistry(): CodemodRegistry {
  return new CodemodRegistry(catalogue);
}

export function findCodemods(finding: FindingKey, registry: CodemodRegistry = createDefaultRegistry()): Codemod[] {
  return registry.find(finding);
}
