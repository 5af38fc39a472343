import { fileLine, indentOf } from '../code-view';
import { withinProject } from '../text-readers';
import { quote, type DecisiveAnalyzer } from './types';

/**
 * Configuration chosen by environment: a finding inside a development or testing configuration
 * (`class DevelopmentConfig(BaseConfig):`, `class TestingConfig`, a `development: {` or `test: {`
 * entry of an environment-keyed object, `LocalSettings`) while the production deployment selects
 * another — a variable that chooses the configuration (`FLASK_CONFIG`, `APP_ENV`, `NODE_ENV`,
 * `APP_SETTINGS`, `DJANGO_CONFIGURATION`, …) set by a production deployment file to a value that
 * names production, and a production configuration beside it in the same file. Production never loads the
 * development or testing block. Fail-safe: no production deployment setting, no production
 * configuration in the file, a production configuration that inherits or spreads this one
 * (`class ProductionConfig(DevelopmentConfig)`), a block whose name does not say development or testing (a base class,
 * a shared default), or a finding outside any such block, decide nothing.
 */
const developmentBlock = /^(?:dev|development|local|debug|test|testing|ci)(?:[_-]?(?:config|configuration|settings|env|environment))?$/i;
const developmentClass = /^(Dev|Development|Local|Debug|Test|Testing|CI)(Config|Configuration|Settings|Env|Environment)$/;
const productionNamed = /(?:^|\n)\s*(?:class\s+(?:Prod|Production)\w*\b|["']?(?:prod|production)["']?\s*:\s*\{)/;
const selector = /(CONFIG|CONFIGURATION|SETTINGS|ENV|ENVIRONMENT|STAGE|PROFILE)$/i;

function enclosingBlock(lines: readonly string[], flagged: number): { name: string; index: number } | undefined {
  let indent = indentOf(lines[flagged] ?? '');
  if (indent === 0) return undefined;
  for (let i = flagged - 1; i >= 0; i -= 1) {
    const line = lines[i] ?? '';
    if (line.trim() === '' || indentOf(line) >= indent) continue;
    const py = /^\s*class\s+(\w+)\s*(?:\([^)]*\))?\s*:/.exec(line);
    const js = /^\s*(?:export\s+)?class\s+(\w+)\b[^{]*\{\s*$/.exec(line) ?? /^\s*["']?([\w-]+)["']?\s*:\s*\{\s*$/.exec(line);
    const m = py ?? js;
    if (m) return { name: m[1] ?? '', index: i };
    // A nested object or call inside the block: keep climbing.
    indent = indentOf(line);
    if (indent === 0) return undefined;
  }
  return undefined;
}

export const configurationSelection: DecisiveAnalyzer = ({ finding, where, repository, view, code }) => {
  if (!view || !repository?.productionEnvironment || !finding.location) return undefined;
  const block = enclosingBlock(view.lines, view.flagged);
  if (!block || !(developmentClass.test(block.name) || developmentBlock.test(block.name))) return undefined;
  if (!productionNamed.test(code)) return undefined;
  // A production configuration that inherits or spreads this one runs its values after all.
  const inherited = new RegExp(String.raw`class\s+(?:Prod|Production)\w*\s*\([^)]*\b${block.name}\b|\.\.\.\s*(?:\w+\.)?${block.name}\b|extends\s+${block.name}\b`);
  if (inherited.test(code)) return undefined;
  let chosen: { variable: string; where: string } | undefined;
  for (const [variable, at] of repository.productionEnvironment) {
    // Only a deployment file of this application: its folder holds the flagged file.
    const setter = at.slice(0, at.indexOf(':'));
    const setterDir = setter.includes('/') ? setter.slice(0, setter.lastIndexOf('/')) : '';
    if (!selector.test(variable) || !withinProject(finding.location.path, setterDir)) continue;
    const value = new RegExp(String.raw`\b${variable}\s*[=:]\s*["']?([\w.-]+)`).exec(at)?.[1] ?? '';
    if (/^(prod|production|Prod\w*Config|Production\w*)$/i.test(value)) chosen = { variable, where: at };
  }
  if (!chosen) return undefined;
  const testing = /^(test|testing|ci)/i.test(block.name);
  const line = fileLine(view, block.index);
  const header = quote((view.lines[block.index] ?? '').trim(), 60);
  return {
    verdict: 'wont_fix',
    category: testing ? 'test_code' : 'non_production',
    base: 82,
    factor: { id: 'configuration-selection', weight: 0, detail: `The flagged line is in \`${header}\` (line ${line}), a ${testing ? 'testing' : 'development'} configuration; production selects another with ${chosen.variable} (${chosen.where}).` },
    justification: `${where} is in the ${testing ? 'testing' : 'development'} configuration \`${block.name}\` (line ${line}); production's deployment selects the production configuration (${chosen.where}), so this value never runs there.`,
  };
};
