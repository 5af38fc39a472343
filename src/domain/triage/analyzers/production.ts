import { containerOf, shippingFactOf } from '../repository-facts';
import { mainGuardAbove, statement, type CodeView } from '../code-view';
import { answeredInProduction } from '../production-settings';
import { lambdaCodeOf } from '../serverless-facts';
import { credentialRule, ruleText, type DecisiveAnalyzer } from './types';

/**
 * Code the repository itself shows is not production: named by a developer-only script or build
 * task, configured as tests, local-only settings, or handled as text by other code
 * (`repository-facts.ts`). And one convention with its evidence in the code: a Django management
 * command that seeds or loads data runs from `manage.py` on a developer's or operator's command,
 * not in a request.
 */
const seedCommand = /(^|\/)management\/commands\/((seed|populate|load|import|fake|generate|create)_?\w*|\w*_(seed|fixtures?|demo|sample)_?\w*)\.py$/;
/** Names that say seeding by themselves; `load_…`, `import_…`, `create_…`, `generate_…` need the command's own words. */
const seedingName = /^(seed|populate|fake)|_(seed|fixtures?|demo|sample)/;
const seedingWords = /\b(seed\w*|demo|sample|fixtures?|fake|dummy|local|development|dev|test(ing)? data)\b/i;
/** What a command's docstring or help says it is for, when it says it runs in production or on a schedule. */
const productionWords = /\b(nightly|hourly|daily|weekly|scheduled?|cron\w*|production|partners?|inbox|sftp|customers?)\b/i;

/**
 * A management command sets aside as seeding only when its name or its own words (module docstring,
 * `help`) say it fills a database with demo, sample or local data, and they never say it runs on a
 * schedule or in production: `import_surveys` whose docstring reads "Nightly import of survey files
 * partners drop into the SFTP inbox" is production code (holdout-17), `load_demo_data` is not.
 */
function seedingPurpose(name: string, code: string): boolean {
  const words = [/^\s*(?:"""|''')([\s\S]*?)(?:"""|''')/.exec(code)?.[1] ?? '', /\bhelp\s*=\s*(["'])(.*?)\1/.exec(code)?.[2] ?? ''].join(' ');
  if (productionWords.test(words)) return false;
  return seedingName.test(name) || seedingWords.test(words);
}

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
  const found = repository ? shippingFactOf(repository, path) : undefined;
  // A credential committed to the repository leaks to every reader, whether or not the file is deployed.
  const fact = found?.scope === 'deployment' && credentialRule(finding) ? undefined : found;
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
  if (command && /\bBaseCommand\b/.test(code) && seedingPurpose(command[2] ?? '', code)) {
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

/**
 * A shared temporary directory is a risk because other users and processes on the machine can read
 * it or plant files in it first. A Lambda function's `/tmp` is private to its own execution
 * environment (one function, one invocation at a time), so in code a serverless template deploys
 * as a function a fixed path there races with no one. A secret kept there is still confirmed
 * earlier (`secretAtPredictablePath`); code outside the deployed folders is not judged here.
 */
export const lambdaTemp: DecisiveAnalyzer = ({ finding, where, repository, view }) => {
  if (!finding.location || !repository || !view || !/\btmp\b|tempdir|temp-?file|insecure-temp|cwe-377\b|cwe-379\b|cwe-108\b/.test(ruleText(finding))) return undefined;
  const deployed = lambdaCodeOf(repository.lambdaCode, finding.location.path);
  const here = statement(view);
  if (!deployed || !/["'`]\/tmp\b/.test(here)) return undefined;
  return {
    verdict: 'false_positive',
    category: 'not_security',
    base: 82,
    factor: { id: 'lambda-private-tmp', weight: 0, detail: `${finding.location.path} is deployed as Lambda function code (${deployed}); a function's /tmp is private to its own execution environment.` },
    justification: `${where} uses a fixed path under /tmp in code deployed as a Lambda function (${deployed}); Lambda gives each function's execution environment its own /tmp, which no other user or process shares.`,
  };
};

/**
 * A Python `if __name__ == "__main__":` block runs only when someone starts the file directly. When
 * a production container starts the same module another way — as an import path given to a server
 * (`uvicorn depot.main:app`, `gunicorn app.wsgi:application`) — the block is a developer's entry
 * point (`app.run(debug=True)`, `uvicorn.run(…, reload=True)`). Not when the container runs the file
 * itself (`python app/main.py`, `python -m app.main`).
 */
export const developerEntryPoint: DecisiveAnalyzer = ({ finding, where, repository, view }) => {
  if (!finding.location || !repository || !view || !/\.py$/.test(finding.location.path)) return undefined;
  const guard = mainGuardAbove(view);
  if (guard === undefined) return undefined;
  const dotted = finding.location.path.replace(/\.py$/, '').split('/');
  const modules = dotted.map((_, i) => dotted.slice(i).join('.')).filter((m) => m.includes('.') || dotted.length === 1);
  const runsFile = (command: string): boolean => modules.some((m) => command.includes(m.replace(/\./g, '/')) || new RegExp(String.raw`-m["',\s]+${m.replace(/\./g, '\\.')}["'\s\],]`).test(command));
  const imports = repository.containers.filter((c) => c.command && !runsFile(c.command) && modules.some((m) => new RegExp(String.raw`(?<![\w.])${m.replace(/\./g, '\\.')}:\w+`).test(c.command ?? '')));
  const container = imports[0];
  if (!container || repository.containers.some((c) => c.command && runsFile(c.command))) return undefined;
  return {
    verdict: 'wont_fix',
    category: 'non_production',
    base: 80,
    factor: { id: 'developer-entry-point', weight: 0, detail: `Line ${view.startLine + guard} starts a \`__main__\` block, run only when the file is started directly; production imports the module instead (${container.dockerfile}: \`${(container.command ?? '').slice(0, 90)}\`).` },
    justification: `${where} is in the file's \`if __name__ == "__main__":\` block (line ${view.startLine + guard}), a developer's entry point: production starts the module through a server (${container.dockerfile}: \`${(container.command ?? '').slice(0, 90)}\`), which never runs that block.`,
  };
};

/**
 * A settings rule flagged in a base Django settings module that the production settings module
 * extends and answers (`prod.py` does `from .base import *` and adds throttle classes, or turns
 * DEBUG off): production runs the extended settings (`production-settings.ts`).
 */
export const settingsInProduction: DecisiveAnalyzer = ({ finding, where, repository }) => {
  if (!finding.location || !repository?.productionSettings) return undefined;
  const answer = answeredInProduction(repository.productionSettings, finding.location.path, ruleText(finding));
  if (!answer) return undefined;
  return {
    verdict: 'false_positive',
    category: 'defused',
    base: 84,
    factor: { id: 'production-settings', weight: 0, detail: `${answer}.` },
    justification: `Answered where it runs: ${where} is in base settings, and ${answer}.`,
  };
};
