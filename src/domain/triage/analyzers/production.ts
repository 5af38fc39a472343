import { containerOf, shippingFactOf } from '../repository-facts';
import type { CodeView } from '../code-view';
import type { DecisiveAnalyzer } from './types';

/**
 * Code the repository itself shows is not production: named by a developer-only script or build
 * task, configured as tests, local-only settings, or handled as text by other code
 * (`repository-facts.ts`). And one convention with its evidence in the code: a Django management
 * command that seeds or loads data runs from `manage.py` on a developer's or operator's command,
 * not in a request.
 */
const seedCommand = /(^|\/)management\/commands\/((seed|populate|load|import|fake|generate|create)_?\w*|\w*_(seed|fixtures?|demo|sample)_?\w*)\.py$/;

/**
 * A stand-alone seed script (`seed_demo.py`, `seed-db.js`) that says at its top, in its module
 * docstring or first comment, that it fills a local, development or demo database: the name and
 * the stated purpose together, never the name alone.
 */
const seedScript = /(^|\/)(seed|seeds|seeding|populate|fake_?data|sample_?data|demo_?data)([_-]\w*)?\.(py|js|mjs|cjs|ts)$/i;
const developmentOnly = /\b(local|development|dev|demo|sample|fake|never\s+(?:be\s+)?(?:run|used|deployed)\s+(?:against|in|on)\s+production|not\s+for\s+production)\b/i;
function statedSeedPurpose(view: CodeView | undefined): string | undefined {
  if (!view || view.startLine !== 1) return undefined;
  const top = view.lines.slice(0, 6).map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#!') && !/^['"]use strict['"]/.test(line));
  const first = top[0] ?? '';
  if (!/^([rbu]?("""|''')|\/\/|\/\*|#)/.test(first)) return undefined;
  return developmentOnly.test(first) && /\b(seed|fill|populate|load|insert|creat|sample|demo|fake)\w*/i.test(first) ? first.slice(0, 120) : undefined;
}

export const productionEvidence: DecisiveAnalyzer = ({ finding, where, repository, code, view }) => {
  if (!finding.location) return undefined;
  const path = finding.location.path;
  const fact = repository ? shippingFactOf(repository, path) : undefined;
  if (fact) {
    return {
      verdict: 'wont_fix',
      category: fact.category,
      base: 85,
      factor: { id: fact.category === 'test_code' ? 'repository-test' : 'repository-tooling', weight: 0, detail: `${path} does not ship: ${fact.evidence}.` },
      justification: `${where} is ${fact.category === 'test_code' ? 'test code' : 'not production code'}: ${fact.evidence}; fixing it is not worth a pull request.`,
    };
  }
  const command = seedCommand.exec(path);
  if (command && /\bBaseCommand\b/.test(code)) {
    return {
      verdict: 'wont_fix',
      category: 'non_production',
      base: 80,
      factor: { id: 'seed-command', weight: 0, detail: `${path} is a Django management command (a BaseCommand) named for seeding or loading data; it runs from manage.py, not in a request.` },
      justification: `${where} is in a data-seeding management command (\`${command[2]}\`, a Django BaseCommand run from manage.py), not in code that serves requests.`,
    };
  }
  const script = seedScript.exec(path);
  const purpose = script ? statedSeedPurpose(view) : undefined;
  if (purpose) {
    return {
      verdict: 'wont_fix',
      category: 'non_production',
      base: 80,
      factor: { id: 'seed-script', weight: 0, detail: `${path} is a seed script whose first line says it is for local or demo data (\`${purpose}\`).` },
      justification: `${where} is in a seed script that states it fills a local or demo database (line 1: \`${purpose}\`), not in code that serves requests.`,
    };
  }
  return undefined;
};

/**
 * Binding every interface (`0.0.0.0`) is how a container's published port is reached: inside a
 * folder with a Dockerfile it is the intended setting, not an exposure.
 */
export const containerBinding: DecisiveAnalyzer = ({ finding, where, repository }) => {
  if (!finding.location || !repository) return undefined;
  const rule = `${finding.ruleId} ${finding.ruleName ?? ''} ${(finding.weaknesses ?? []).join(' ')}`.toLowerCase();
  if (!/bind-all-interfaces|bind_all_interfaces|cwe-605/.test(`${rule} ${finding.cwes.join(' ').toLowerCase()}`)) return undefined;
  const container = containerOf(repository, finding.location.path);
  if (!container) return undefined;
  const runs = container.command ? ` (\`${container.command.slice(0, 80)}\`)` : '';
  return {
    verdict: 'false_positive',
    category: 'not_security',
    base: 82,
    factor: { id: 'container-binding', weight: 0, detail: `${container.dockerfile} runs this code in a container${runs}; listening on 0.0.0.0 there is what makes the published port reachable.` },
    justification: `${where} binds all interfaces inside a container (${container.dockerfile}${runs}); that is how the container's published port is reached, so it exposes nothing the container does not publish.`,
  };
};
