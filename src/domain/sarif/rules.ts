/** Rule resolution (driver and `tool.extensions`), CWE extraction and rule display texts. */
import { bound } from './message';
import { checkShape, ruleSchema, type JsonPath, type ResultData, type RuleData, type RunData } from './schema';

export const MAX_RULE_HELP_CHARS = 4000;
export const MAX_RULE_NAME_CHARS = 200;

const nonEmpty = (value: string | null | undefined): string | undefined => (value ? value : undefined);
const validIndex = (value: number | null | undefined): number | undefined =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;

/** `ruleId` equals the rule's id, or is a hierarchical child of it (`CA2101/1` of `CA2101`, SARIF §3.27.5). */
const idMatches = (ruleId: string, descriptorId: string | null | undefined): boolean =>
  !!descriptorId && (ruleId === descriptorId || ruleId.startsWith(`${descriptorId}/`));

interface Component {
  rules: readonly unknown[];
  path: JsonPath;
  name: string;
}

export interface ResolvedRule {
  /** The result's `ruleId`, else `rule.id`, else the id of the rule its index points at. */
  id?: string;
  rule?: RuleData;
}

/**
 * The rules of one run: `tool.driver` is component 0, `tool.extensions[k]` is component k + 1.
 * Rules are validated only when a result first uses them; id look-ups are indexed on demand.
 */
export class RuleCatalog {
  private readonly components: Component[];
  private readonly validated = new Map<string, RuleData | undefined>();
  private readonly idIndexes = new Map<number, Map<string, number>>();
  private readonly byId = new Map<string, RuleData | undefined>();
  /** Results that name their rule by `ruleId` alone (the common case) resolve the same way every time. */
  private readonly byRuleIdOnly = new Map<string, ResolvedRule>();

  constructor(run: RunData, runPath: JsonPath) {
    const driver = run.tool.driver;
    this.components = [
      { rules: driver.rules ?? [], path: [...runPath, 'tool', 'driver'], name: driver.name },
      ...(run.tool.extensions ?? []).map((extension, k) => ({
        rules: extension.rules ?? [],
        path: [...runPath, 'tool', 'extensions', k] as JsonPath,
        name: extension.name,
      })),
    ];
  }

  resolve(result: ResultData): ResolvedRule {
    const plainId = result.rule == null && result.ruleIndex == null ? nonEmpty(result.ruleId) : undefined;
    if (plainId === undefined) return this.lookUp(result);
    let resolved = this.byRuleIdOnly.get(plainId);
    if (!resolved) this.byRuleIdOnly.set(plainId, (resolved = this.lookUp(result)));
    return resolved;
  }

  private lookUp(result: ResultData): ResolvedRule {
    const reference = result.rule ?? undefined;
    const ruleId = nonEmpty(result.ruleId) ?? nonEmpty(reference?.id);
    const index = validIndex(reference?.index) ?? validIndex(result.ruleIndex);
    const toolComponent = reference?.toolComponent ?? undefined;
    let component: number | undefined = 0;
    if (toolComponent) {
      const byIndex = validIndex(toolComponent.index);
      component =
        byIndex !== undefined
          ? byIndex + 1 < this.components.length
            ? byIndex + 1
            : undefined
          : this.components.findIndex((c) => c.name === toolComponent.name);
      if (component === -1) component = undefined;
    }
    let rule: RuleData | undefined;
    if (component !== undefined && index !== undefined) {
      const candidate = this.ruleAt(component, index);
      // Some tools (Anchore) write ruleIndex 0 on every result: trust the index only when the ids agree.
      if (candidate && (ruleId === undefined || idMatches(ruleId, candidate.id))) rule = candidate;
    }
    if (!rule && ruleId !== undefined) rule = this.findById(ruleId, component);
    const id = ruleId ?? nonEmpty(rule?.id);
    return { ...(id !== undefined ? { id } : {}), ...(rule ? { rule } : {}) };
  }

  private ruleAt(component: number, index: number): RuleData | undefined {
    const key = `${component}:${index}`; // a string: indexes come from the input and may be huge
    if (this.validated.has(key)) return this.validated.get(key);
    const owner = this.components[component];
    const raw = owner?.rules[index];
    const rule = owner && raw !== undefined ? checkShape(ruleSchema, raw, [...owner.path, 'rules', index]) : undefined;
    this.validated.set(key, rule);
    return rule;
  }

  private idIndex(component: number): Map<string, number> {
    let map = this.idIndexes.get(component);
    if (!map) {
      map = new Map();
      const rules = this.components[component]?.rules ?? [];
      for (let i = 0; i < rules.length; i++) {
        const id = (rules[i] as { id?: unknown } | null)?.id;
        if (typeof id === 'string' && !map.has(id)) map.set(id, i);
      }
      this.idIndexes.set(component, map);
    }
    return map;
  }

  /** Exact id first, then hierarchical parents (`a/b/c` → `a/b` → `a`); the referenced component first. Memoised. */
  private findById(ruleId: string, preferred: number | undefined): RuleData | undefined {
    const key = `${preferred ?? ''}|${ruleId}`;
    if (this.byId.has(key)) return this.byId.get(key);
    const rule = this.searchById(ruleId, preferred);
    this.byId.set(key, rule);
    return rule;
  }

  private searchById(ruleId: string, preferred: number | undefined): RuleData | undefined {
    const order = [...(preferred !== undefined ? [preferred] : []), ...this.components.keys()].filter((c, i, all) => all.indexOf(c) === i);
    for (let candidate: string | undefined = ruleId; candidate; candidate = candidate.includes('/') ? candidate.slice(0, candidate.lastIndexOf('/')) : undefined) {
      for (const component of order) {
        const index = this.idIndex(component).get(candidate);
        if (index !== undefined) return this.ruleAt(component, index);
      }
    }
    return undefined;
  }
}

/** `external/cwe/cwe-079`, `CWE-79: …`, `cwe:79`, `cwe_79` → 79. */
function addCwesFromTag(value: unknown, out: Set<number>): void {
  if (typeof value !== 'string') return;
  for (const match of value.matchAll(/(?:^|[^a-z0-9])cwe[\s_:/-]*0*([1-9]\d{0,5})(?!\d)/gi)) out.add(Number(match[1]));
}

/** A `cwe` field: `79`, `"79"`, `"CWE-79"`, `"CWE-79: Cross-site Scripting"` or an array of those. */
function addCwesFromField(value: unknown, out: Set<number>): void {
  if (Array.isArray(value)) {
    for (const item of value) addCwesFromField(item, out);
  } else if (typeof value === 'number' && Number.isInteger(value) && value > 0) out.add(value);
  else if (typeof value === 'string') {
    const bare = /^\s*0*([1-9]\d{0,5})\s*$/.exec(value);
    if (bare) out.add(Number(bare[1]));
    else addCwesFromTag(value, out);
  }
}

type Bag = Readonly<Record<string, unknown>> | null | undefined;
type TaxonRef = { id?: string | null; toolComponent?: { name?: string | null } | null } | null | undefined;

function addCwesFromBag(bag: Bag, out: Set<number>): void {
  if (!bag) return;
  const tags = bag['tags'];
  if (Array.isArray(tags)) for (const tag of tags) addCwesFromTag(tag, out);
  for (const key of ['cwe', 'cwes', 'CWE', 'cwe_id', 'cweId']) addCwesFromField(bag[key], out);
}

function addCwesFromTaxon(taxon: TaxonRef, out: Set<number>): void {
  if (taxon?.id && /cwe/i.test(taxon.toolComponent?.name ?? '')) addCwesFromField(taxon.id, out);
}

/** CWE numbers a rule declares (tags, `cwe` fields, CWE taxonomy relationships). */
export function ruleCweNumbers(rule: RuleData | undefined): number[] {
  const found = new Set<number>();
  addCwesFromBag(rule?.properties, found);
  for (const relationship of rule?.relationships ?? []) addCwesFromTaxon(relationship.target, found);
  return [...found];
}

/** CWE ids of a result: its rule's plus its own tags, `cwe` fields and `taxa`, as `CWE-79`, ascending. */
export function collectCwes(ruleCwes: readonly number[], result: ResultData): string[] {
  const found = new Set<number>(ruleCwes);
  addCwesFromBag(result.properties, found);
  for (const taxon of result.taxa ?? []) addCwesFromTaxon(taxon, found);
  return [...found].sort((a, b) => a - b).map((n) => `CWE-${n}`);
}

/** A human name: `name` unless it just repeats the id, else `properties.name` (CodeQL), else a short `shortDescription`. */
export function ruleDisplayName(rule: RuleData | undefined, ruleId: string, onCut?: () => void): string | undefined {
  if (!rule) return undefined;
  const propertyName = rule.properties?.['name'];
  const candidates = [rule.name, typeof propertyName === 'string' ? propertyName : undefined];
  const name = candidates.map((c) => c?.trim()).find((c) => c && c !== ruleId && c !== rule.id);
  const short = rule.shortDescription?.text?.trim();
  const chosen = name ?? (short && short.length <= MAX_RULE_NAME_CHARS ? short : undefined);
  if (!chosen) return undefined;
  if (chosen.length > MAX_RULE_NAME_CHARS) onCut?.();
  return bound(chosen, MAX_RULE_NAME_CHARS);
}

/** `help.markdown` → `help.text` → `fullDescription.text`, trimmed and bounded. */
export function ruleHelpText(rule: RuleData | undefined, onCut?: () => void): string | undefined {
  const help = (rule?.help?.markdown?.trim() || rule?.help?.text?.trim() || rule?.fullDescription?.text?.trim()) ?? '';
  if (!help) return undefined;
  if (help.length > MAX_RULE_HELP_CHARS) onCut?.();
  return bound(help, MAX_RULE_HELP_CHARS);
}
