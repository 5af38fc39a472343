import type { Node } from 'web-tree-sitter';
import { findPair, objectPairs } from '../js/objects';
import { callArgs, dotted, jsBindings, sameModule } from '../js/syntax';
import type { Codemod, FixContext, FixOutcome, ImportRequest, ProjectContext } from '../types';

const SAFE_NAME: Record<string, string> = { load: 'safeLoad', loadAll: 'safeLoadAll' };
const LOADS = new Set(['load', 'loadAll', 'safeLoad', 'safeLoadAll']);
const SAFE_SCHEMAS = new Set(['DEFAULT_SAFE_SCHEMA', 'CORE_SCHEMA', 'JSON_SCHEMA', 'FAILSAFE_SCHEMA']);

/** The js-yaml function a call makes (`load`, `loadAll`, `safeLoad`, …) and how the callee names it. */
function yamlCall(call: Node, bindings: ReturnType<typeof jsBindings>): { fn: string; name: Node; named: boolean } | undefined {
  const callee = call.childForFieldName('function');
  const [head = '', member, extra] = (dotted(callee) ?? '').split('.');
  const bound = bindings.get(head);
  if (bound === undefined || !sameModule(bound.module, 'js-yaml') || extra !== undefined) return undefined;
  if (member === undefined) return bound.name === undefined || bound.name === 'default' || callee === null ? undefined : { fn: bound.name, name: callee, named: true };
  const property = callee?.childForFieldName('property');
  if ((bound.name !== undefined && bound.name !== 'default') || property == null) return undefined;
  return { fn: member, name: property, named: false };
}

/** The major version a manifest range names (`^3.13.1`, `~3.14`, `3.x`, `>=3.0.0 <4`), when it names one. */
export function majorVersion(range: string | undefined): number | undefined {
  const match = /^\s*(?:[\^~=v]|>=)?\s*(\d+)(?:[.\s]|x|$)/i.exec(range ?? '');
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

function jsYamlMajor(project: ProjectContext | undefined): number | undefined {
  return majorVersion(project?.versions?.['js-yaml']);
}

function fix(ctx: FixContext): FixOutcome {
  const { node, root } = ctx;
  const line = node.startPosition.row + 1;
  const call = yamlCall(node, jsBindings(root));
  const safeName = call === undefined ? undefined : SAFE_NAME[call.fn];
  if (call === undefined) return { unfixed: `line ${line} holds no js-yaml load call` };
  if (safeName === undefined) return { unfixed: `yaml.${call.fn} on line ${line} already loads plain data only; nothing to fix`, alreadySafe: true };
  const where = `yaml.${call.fn} on line ${line}`;
  const options = callArgs(node).find((a, i) => i > 0 && a.type === 'object');
  const schema = options === undefined ? undefined : findPair(objectPairs(options) ?? [], 'schema');
  const schemaName = schema?.type === 'pair' ? schema.childForFieldName('value')?.text.split('.').pop() : undefined;
  if (schemaName !== undefined && SAFE_SCHEMAS.has(schemaName)) return { unfixed: `${where} already loads with the ${schemaName}; nothing to fix`, alreadySafe: true };
  if (schema !== undefined) return { unfixed: `${where} asks for a schema (${schema.text}) that may build JavaScript functions and regexps on purpose; review it by hand` };
  const major = jsYamlMajor(ctx.project);
  if (major !== undefined && major >= 4) return { unfixed: `${where}: in js-yaml ${major}, load only builds plain data; nothing to fix`, alreadySafe: true };
  if (major === undefined) {
    return {
      unfixed: `${where}: the project's js-yaml version is not known; safeLoad exists only in js-yaml 3 (in 4, load is already safe and safeLoad throws), so the fix needs the version from package.json`,
    };
  }
  const imports: ImportRequest[] = call.named ? [{ module: 'js-yaml', name: safeName }] : [];
  return {
    edits: [{ start: call.name.startIndex, end: call.name.endIndex, text: safeName }],
    imports,
    description: `Replaced yaml.${call.fn} with yaml.${safeName} on line ${line} (js-yaml ${major}): the YAML can no longer build JavaScript functions or regular expressions.`,
  };
}

export const jsYamlSafeLoad: Codemod = {
  id: 'js-yaml-safe-load',
  title: 'Load YAML with js-yaml 3 safeLoad',
  summary: 'Replace js-yaml 3 load with safeLoad',
  description: [
    "In js-yaml 3, `load` uses the full schema: `!!js/function` and `!!js/regexp` tags build JavaScript functions and",
    'regular expressions from the document, so YAML from a request or upload can plant code. `safeLoad` builds only',
    'plain data. js-yaml 4 made `load` safe and removed `safeLoad`, so the change is made only when the project\'s',
    'package.json pins js-yaml 3.',
    '',
    '```diff',
    "-const config = yaml.load(fs.readFileSync(file, 'utf8'));",
    "+const config = yaml.safeLoad(fs.readFileSync(file, 'utf8'));",
    '```',
  ].join('\n'),
  reviewGuidance: 'merge-after-cursory-review',
  reviewGuidanceReason: 'Documents that used !!js/function, !!js/regexp or !!js/undefined tags now fail to load.',
  languages: ['javascript', 'typescript', 'tsx'],
  cwes: ['CWE-502'],
  owasp: ['A08:2021'],
  references: [
    { title: 'js-yaml 3 README: safeLoad and load', url: 'https://github.com/nodeca/js-yaml/tree/3.14.1#safeload-string---options-' },
    { title: 'js-yaml 4 migration: load is safe by default', url: 'https://github.com/nodeca/js-yaml/blob/master/migrate_v3_to_v4.md' },
  ],
  ruleIds: {
    codeql: ['js/unsafe-deserialization'],
    semgrep: ['javascript.lang.security.audit.unsafe-deserialization.js-yaml-load', 'javascript.jsyaml.security.audit.js-yaml-load.js-yaml-load'],
    snyk: ['javascript/Deserialization'],
  },
  target: 'js-yaml load call',
  candidates(root) {
    const bindings = jsBindings(root);
    return root.descendantsOfType('call_expression').filter((c): c is Node => c !== null && LOADS.has(yamlCall(c, bindings)?.fn ?? ''));
  },
  fix,
};
