import { indentOf, statement, type CodeView } from '../code-view';
import { refusedElsewhere } from './refused-elsewhere';
import { refusedFallback } from './refused-fallbacks';
import type { AnalyzerInput } from './types';

/**
 * Values in configuration code that are defaults for a developer's machine, not what production
 * runs — each decided by what the code or the deployment files show, never by the file's name:
 * - a development secret the settings refuse in production (`if env == "production" and
 *   secret == DEV_SECRET: raise`), or the fallback of a variable whose absence production refuses
 *   (`if (production && !process.env.JWT_SECRET) throw …` above `process.env.JWT_SECRET || 'local'`);
 * - a default production overrides: the variable is set by a production Dockerfile, compose file
 *   or `fly.toml` (`repository.productionEnvironment`);
 * - a connection URL to this machine (`localhost`, `127.0.0.1`) given as the default of an
 *   environment variable: it can only reach a developer's own database.
 */

/** The environment variable a settings default stands in for, and the default's text. */
export interface EnvironmentDefault {
  variable: string;
  value: string;
}

const literal = String.raw`(?:"[^"\n]*"|'[^'\n]*'|\x60[^\x60$\n]*\x60)`;

/** The class enclosing the flagged line, when it is a pydantic `BaseSettings` (its `env_prefix`, if any). */
function settingsClass(view: CodeView): { prefix: string } | undefined {
  const indent = indentOf(view.lines[view.flagged] ?? '');
  if (indent === 0) return undefined;
  for (let i = view.flagged - 1; i >= 0; i -= 1) {
    const line = view.lines[i] ?? '';
    if (line.trim() === '' || indentOf(line) >= indent) continue;
    const m = /^\s*class\s+\w+\s*\(([^)]*)\)\s*:/.exec(line);
    if (!m || !/\bBaseSettings\b/.test(m[1] ?? '')) return undefined;
    const body = view.lines.slice(i + 1, i + 30).join('\n');
    return { prefix: /env_prefix\s*=\s*["']([^"']*)["']/.exec(body)?.[1] ?? '' };
  }
  return undefined;
}

export function environmentDefault(view: CodeView): EnvironmentDefault | undefined {
  const text = statement(view);
  const python = new RegExp(String.raw`\b(?:os\.environ\.get|os\.getenv|environ\.get|getenv)\(\s*["']([A-Za-z_]\w*)["']\s*,\s*(.+?)\)\s*(?:#.*)?$`).exec(text);
  if (python) return { variable: python[1] ?? '', value: python[2] ?? '' };
  const node = new RegExp(String.raw`\bprocess\.env(?:\.([A-Za-z_]\w*)|\[\s*["']([A-Za-z_]\w*)["']\s*\])\s*(?:\|\||\?\?)\s*(${literal})`).exec(text);
  if (node) return { variable: node[1] ?? node[2] ?? '', value: node[3] ?? '' };
  // A zod schema of the environment: `DATABASE_URL: z.string().default('…')` in an object parsed from `process.env`.
  const zod = new RegExp(String.raw`^\s*([A-Z][A-Z0-9_]*)\s*:\s*z\.[\w.()]*?\.default\(\s*(${literal})\s*\)`).exec(text);
  if (zod && view.lines.some((line) => /\.parse\(\s*process\.env\s*\)/.test(line))) return { variable: zod[1] ?? '', value: zod[2] ?? '' };
  // A pydantic settings field: `export_dir: Path = Path("/tmp/…")`, read from `EXPORT_DIR`.
  const field = /^\s*([a-z_]\w*)\s*:\s*[\w[\], |.]+\s*=\s*(.+?)\s*(?:#.*)?$/.exec(text);
  const settings = field ? settingsClass(view) : undefined;
  if (field && settings) return { variable: `${settings.prefix}${field[1] ?? ''}`.toUpperCase(), value: field[2] ?? '' };
  return undefined;
}

/** A default production replaces: the deployment files set the variable. */
export function overriddenInProduction(input: AnalyzerInput): string | undefined {
  const { view, repository } = input;
  if (!view || !repository?.productionEnvironment) return undefined;
  const found = environmentDefault(view);
  if (!found) return undefined;
  const set = repository.productionEnvironment.get(found.variable);
  return set ? `\`${statement(view).trim().slice(0, 100)}\` is the default of ${found.variable}, which production sets (${set})` : undefined;
}

/** A URL with credentials to this machine, as an environment variable's default. */
export function localhostDefault(input: AnalyzerInput): string | undefined {
  const { view } = input;
  if (!view) return undefined;
  const found = environmentDefault(view);
  if (!found) return undefined;
  const url = /^["'`]([a-z][\w+.-]*):\/\/(?:[^@/\s"'`]*@)?(localhost|127\.0\.0\.1|\[::1\])(?::\d+)?(?:\/[^"'`]*)?["'`]$/i.exec(found.value.trim());
  return url ? `${found.value.trim().replace(/\/\/[^@/]*@/, '//•••@')} is the default of ${found.variable}, a ${url[1]} URL on ${url[2]}: it can only reach a service on the developer's own machine, and any deployment sets ${found.variable}` : undefined;
}

/**
 * `DEV_SECRET = "…"` refused in production: a check in the file compares the secret with this
 * constant in an `if` that also names production, and its block raises, exits or throws.
 */
export function refusedInProduction(input: AnalyzerInput): string | undefined {
  // The file's own check first; then a refusal in another file read, or one guarded by "not development" (`refused-elsewhere.ts`).
  return refusedInFile(input) ?? refusedElsewhere(input, (value) => realFormat.test(value));
}

function refusedInFile(input: AnalyzerInput): string | undefined {
  const { view } = input;
  if (!view) return undefined;
  // A `required(name, devDefault)` helper's fallback, or a module that fills the variable only after refusing its absence in production.
  const refused = refusedFallback(input, (value) => realFormat.test(value));
  if (refused) return refused;
  const text = statement(view);
  const m = /^\s*(?:(?:export\s+)?(?:const|let|var)\s+)?(_?[A-Z][A-Z0-9_]*)\s*(?::[^=]+)?=\s*["'`][^"'`\n]+["'`]\s*;?\s*(?:#.*|\/\/.*)?$/.exec(text);
  // Or a fallback for an environment variable (`process.env.JWT_SECRET || 'local-secret'`) whose
  // absence in production the file refuses (`if (production && !process.env.JWT_SECRET) throw …`):
  // the literal is only ever used outside production.
  const fallback = m ? undefined : environmentDefault(view);
  if (!m && !fallback) return undefined;
  // A live credential's format is a real secret wherever it is written (everyone with the repository has it).
  if (fallback && realFormat.test(fallback.value.trim().replace(/^["'`]/, ''))) return undefined;
  const name = m?.[1] ?? '';
  const variable = fallback?.variable ?? '';
  const compared = m
    ? new RegExp(String.raw`(?:[=!]==?\s*${name}\b|\b${name}\s*[=!]==?)`)
    : new RegExp(String.raw`!\s*process\.env(?:\.${variable}\b|\[\s*["']${variable}["']\s*\])|\bnot\s+(?:os\.environ\.get|os\.getenv|environ\.get|getenv)\(\s*["']${variable}["']\s*\)|["']${variable}["']\s+not\s+in\s+os\.environ`);
  for (let i = 0; i < view.lines.length; i += 1) {
    const line = view.lines[i] ?? '';
    if (i === view.flagged || !/^\s*(?:if|elif)\b|\bif\s*\(/.test(line) || !compared.test(line)) continue;
    // Production named by the check itself or by the `if` it sits in (`if ENV == "production":` above it).
    if (!/prod(uction)?\b/i.test(line) && !inProductionBlock(view.lines, i)) continue;
    const block = view.lines.slice(i, i + 4).join('\n');
    if (/\braise\b|\bthrow\b|sys\.exit|process\.exit|ImproperlyConfigured/.test(block)) return `line ${view.startLine + i}: ${line.trim().slice(0, 120)}`;
  }
  return m ? refusedThroughHelper(view.lines, name, view.flagged, view.startLine) : undefined;
}

/** The nearest less-indented line above `at` is an `if` naming production. */
function inProductionBlock(lines: readonly string[], at: number): boolean {
  const indent = indentOf(lines[at] ?? '');
  for (let i = at - 1; i >= 0; i -= 1) {
    const text = lines[i] ?? '';
    if (text.trim() === '' || indentOf(text) >= indent) continue;
    return /^\s*(?:if|elif)\b|\bif\s*\(/.test(text) && /prod(uction)?\b/i.test(text);
  }
  return false;
}

/**
 * `sessionSecret: required('SESSION_SECRET', DEV_SESSION_SECRET)` where `required(name, devFallback)`
 * throws when production runs before it returns `devFallback`: every use of the constant is that
 * argument of that helper, so the constant never reaches production.
 */
function refusedThroughHelper(lines: readonly string[], name: string, flagged: number, startLine: number): string | undefined {
  const use = new RegExp(String.raw`(?<![\w$.])${name}(?![\w$])`);
  const uses = lines.map((text, i) => ({ text, i })).filter(({ text, i }) => i !== flagged && use.test(text));
  if (uses.length === 0) return undefined;
  let helper: string | undefined;
  for (const { text } of uses) {
    const call = new RegExp(String.raw`(?<![\w$.])([A-Za-z_$][\w$]*)\(([^()]*)\b${name}\s*\)`).exec(text);
    if (!call || (helper && helper !== call[1]) || text.split(use).length > 2) return undefined;
    helper = call[1];
  }
  const position = (new RegExp(String.raw`${helper}\(([^()]*)\b${name}\s*\)`).exec(uses[0]?.text ?? '')?.[1] ?? '').split(',').length - 1;
  const header = lines.findIndex((text) => new RegExp(String.raw`^\s*(?:(?:export\s+)?(?:async\s+)?function\s+|def\s+)${helper}\s*\(([^)]*)\)`).test(text));
  if (header < 0) return undefined;
  const parameter = (/\(([^)]*)\)/.exec(lines[header] ?? '')?.[1] ?? '').split(',')[position]?.replace(/[=:].*$/, '').trim();
  if (!parameter) return undefined;
  const indent = indentOf(lines[header] ?? '');
  let refused: string | undefined;
  for (let i = header + 1; i < lines.length; i += 1) {
    const text = lines[i] ?? '';
    if (text.trim() === '') continue;
    if (indentOf(text) <= indent) break;
    if (/^\s*(?:if|elif)\b|\bif\s*\(/.test(text) && /prod(uction)?\b/i.test(text) && /\braise\b|\bthrow\b|sys\.exit|process\.exit/.test(lines.slice(i, i + 3).join('\n'))) {
      refused ??= `line ${startLine + i}: ${text.trim().slice(0, 100)}`;
    }
    // The parameter given back: only after the production check counts.
    if (new RegExp(String.raw`\breturn\b[^;]*(?<![\w$.])${parameter}(?![\w$])`).test(text)) {
      return refused ? `${refused} — in ${helper}(), which returns its fallback only after this check, and every use of ${name} is that fallback` : undefined;
    }
  }
  return undefined;
}

/** Vendor formats of live credentials: such a value is a real secret wherever it is written. */
const realFormat = /^(?:whsec_|sk_live_|sk_test_|rk_live_|pk_live_|ghp_|gho_|github_pat_|glpat-|xox[abposr]-|AKIA|ASIA|AIza|SG\.|npm_|pypi-|shpat_|EAAC)/;

/**
 * A secret default production replaces that says it is for development (`dev-only-…`,
 * `insecure-local-key`, `changeme`) and is in no vendor's live-credential format: the committed
 * value unlocks nothing deployed. A real-format secret as a fallback stays a finding — everyone
 * with the repository has it, and it works wherever the variable is unset.
 */
export function developmentSecretOverridden(input: AnalyzerInput): string | undefined {
  const { view, repository } = input;
  if (!view || !repository?.productionEnvironment) return undefined;
  const found = environmentDefault(view);
  if (!found) return undefined;
  const value = found.value.trim().replace(/^["'`]|["'`]$/g, '');
  if (realFormat.test(value) || !/dev|local|test|example|sample|change-?me|insecure|placeholder|dummy|not[-_ ]?for[-_ ]?prod/i.test(value)) return undefined;
  const set = repository.productionEnvironment.get(found.variable);
  return set ? `the default of ${found.variable} says it is for development, and production sets ${found.variable} (${set})` : undefined;
}
