import type { ProductionEnvironment } from './deployment-facts';
import type { Mark } from './repository-facts';
import { withinProject } from './text-readers';
import { dirOf } from './repo-paths';

/**
 * Configuration files named for an environment, chosen at start-up by a variable production sets
 * to another: Rails `config/environments/development.rb` (RAILS_ENV), node-config
 * `config/development.json` (NODE_ENV), Spring `application-dev.yml` (SPRING_PROFILES_ACTIVE), a
 * settings `dev.py` beside `prod.py`, `.env.development` beside `.env.production`. A file named for
 * development or testing is not production when (1) a production deployment file sets an
 * environment-selecting variable to a production value and (2) the same folder holds the file named
 * for production — so production's file is known to be another. Without either, nothing is decided.
 */
const selector = /^(?:RAILS_ENV|RACK_ENV|NODE_ENV|APP_ENV|APP_ENVIRONMENT|ENV|ENVIRONMENT|STAGE|SPRING_PROFILES_ACTIVE|FLASK_ENV|MIX_ENV|GO_ENV|ASPNETCORE_ENVIRONMENT|DJANGO_ENV|PROFILE)$/i;
const productionValue = /^(prod|production)$/i;
const developmentWords = 'development|dev|local|test|testing|ci';

const nameOf = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

export function environmentFiles(files: readonly string[], environment: ProductionEnvironment | undefined, mark: Mark): void {
  if (!environment) return;
  const settings = [...environment].filter(([variable, at]) => selector.test(variable) && productionValue.test(new RegExp(String.raw`\b${variable}\s*[=:]\s*["']?([\w.-]+)`).exec(at)?.[1] ?? ''));
  if (settings.length === 0) return;
  // Only a deployment file of the same application: its folder holds the configuration file.
  const chosenFor = (file: string): [string, string] | undefined => settings.find(([, at]) => withinProject(file, dirOf(at.slice(0, at.indexOf(':')))));
  const fileSet = new Set(files);
  const shapes: RegExp[] = [
    new RegExp(String.raw`^(${developmentWords})(\.[\w.]+)$`, 'i'), // development.rb, dev.py, test.json
    new RegExp(String.raw`^([\w]+[-_])(${developmentWords})(\.(?:ya?ml|properties|json|toml))$`, 'i'), // application-dev.yml
    new RegExp(String.raw`^(\.env\.)(${developmentWords})$`, 'i'), // .env.development
  ];
  for (const file of files) {
    const name = nameOf(file);
    const dir = dirOf(file);
    const chosen = chosenFor(file);
    if (!chosen) continue;
    for (const [index, shape] of shapes.entries()) {
      const m = shape.exec(name);
      if (!m) continue;
      const [word, siblings] = index === 0
        ? [m[1] ?? '', ['production', 'prod'].map((p) => `${p}${m[2]}`)]
        : [m[2] ?? '', ['production', 'prod'].map((p) => `${m[1]}${p}${m[3] ?? ''}`)];
      const sibling = siblings.map((s) => (dir ? `${dir}/${s}` : s)).find((s) => fileSet.has(s));
      if (!sibling) continue;
      mark(file, {
        category: /^(test|testing|ci)$/i.test(word) ? 'test_code' : 'non_production',
        evidence: `${file} is the ${word} configuration: production selects ${nameOf(sibling)} beside it (${chosen[0]} is set to production by ${chosen[1]})`,
      });
      break;
    }
  }
}
