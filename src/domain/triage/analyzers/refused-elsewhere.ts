import { statement } from '../code-view';
import { escape } from '../guards';
import type { AnalyzerInput } from './types';

/**
 * A development secret the application refuses in production, where the refusal sits in another
 * file read than the literal (or below it, guarded by "not development"): Flask's `create_app`
 * raising when production's `SECRET_KEY` is missing or equals `DevelopmentConfig.SECRET_KEY`; a
 * zod `superRefine` adding an issue when `NODE_ENV === 'production' && !env.DB_PASSWORD` for the
 * `config.DB_PASSWORD ?? 'orchard'` default; a Nitro plugin throwing in production while
 * `config.sessionPassword.startsWith('kilnroom-dev-')`; `if not DEBUG and SECRET_KEY == "dev-…":
 * raise`. One reader: a refusal (raise, throw, exit, `addIssue`) whose lines, up to six above it,
 * name production (or not development: `not DEBUG`, `!dev`) and test the flagged setting's own
 * name against the literal, a prefix of it, a reference to the same setting (`X ==
 * DevelopmentConfig.X`), or — for a fallback only — against being unset. Not a warning, not a test
 * of another variable, and never a literal in a vendor's live format (the caller's `live`).
 */
const refusal = /\braise\b|\bthrow\b|sys\.exit|process\.exit|\.addIssue\(|ImproperlyConfigured/;
const production = /prod(?:uction)?\b/i;
const notDevelopment = /\bnot\s+(?:DEBUG|dev\w*|is_dev\w*)\b|!\s*(?:dev|isDev\w*|DEBUG)\b|\bnot\s+in\s+[\w.]*(?:LOCAL|DEV)\w*/;
const CONTEXT = 6;

interface Flagged { names: string[]; literal: string; fallback: boolean }

function flaggedSetting(text: string): Flagged | undefined {
  const literals = [...text.matchAll(/(["'`])([^"'`\n]{4,})\1/g)];
  const last = literals[literals.length - 1];
  if (!last) return undefined;
  const literal = last[2] ?? '';
  const before = text.slice(0, last.index);
  const fallback = /(?:\?\?|\|\||\bor\b|,)\s*$/.test(before) && /\?\?|\|\||\bor\b|\.get\(|getenv\(|process\.env/.test(before);
  const names = new Set<string>();
  const target = /^\s*(?:(?:export\s+)?(?:const|let|var)\s+)?["']?([A-Za-z_$][\w$]*)["']?\s*(?::[^=]+=|=|:)/.exec(text)?.[1];
  if (target) names.add(target);
  for (const m of before.matchAll(/\.([A-Z][A-Z0-9_]{3,})\b|["']([A-Z][A-Z0-9_]{3,})["']/g)) names.add(m[1] ?? m[2] ?? '');
  const kept = [...names].filter((n) => n.length >= 4 && !/^(?:password|secret|token|key|const|let|var)$/i.test(n));
  return kept.length > 0 ? { names: kept, literal, fallback } : undefined;
}

export function refusedElsewhere(input: AnalyzerInput, live: (value: string) => boolean): string | undefined {
  const { view, finding, repository } = input;
  if (!view || !finding.location) return undefined;
  const guard = refusingGuard(statement(view), view.lines, view.flagged, live);
  if (guard) return guard;
  const found = flaggedSetting(statement(view));
  if (!found || live(found.literal)) return undefined;
  const branch = developmentBranchOnly(found, view.lines, view.flagged, view.startLine);
  if (branch) return branch;
  const files: [string, readonly string[]][] = [[finding.location.path, view.lines], ...[...(repository?.modules ?? new Map<string, readonly string[]>())].filter(([p]) => p !== finding.location?.path)];
  const lit = escape(found.literal);
  for (const [path, lines] of files) {
    for (let i = 0; i < lines.length; i += 1) {
      if (path === finding.location.path && i === view.flagged) continue;
      const line = lines[i] ?? '';
      if (!refusal.test(line) || /^\s*(?:#|\/\/|\*)/.test(line)) continue;
      const context = lines.slice(Math.max(0, i - CONTEXT), i + 1).join('\n');
      if (!production.test(context) && !notDevelopment.test(context)) continue;
      for (const name of found.names) {
        const n = escape(name);
        const tests = [
          new RegExp(String.raw`\b${n}\s*[=!]==?\s*["'\`]${lit}["'\`]|["'\`]${lit}["'\`]\s*[=!]==?\s*[\w$.]*\b${n}\b`),
          new RegExp(String.raw`\b${n}\s*[=!]==?\s*[\w$]+\.${n}\b|[=!]==?\s*(?:[\w$]+\.)?${n}\b(?!\s*\()`),
          new RegExp(String.raw`\b${n}\.(?:startsWith|startswith)\(\s*["'\`]([^"'\`]{5,})["'\`]`),
          ...(found.fallback ? [new RegExp(String.raw`(?:\bnot\s+|!\s*)[\w$.]*\b${n}\b(?!\s*[=!(])`)] : []),
        ];
        const hit = tests.findIndex((t, k) => {
          const m = t.exec(context);
          return m !== null && (k !== 2 || found.literal.startsWith(m[1] ?? '\u0000'));
        });
        if (hit >= 0 && new RegExp(String.raw`\b${n}\b`).test(context)) {
          return `${path}:${i + (path === finding.location.path ? view.startLine : 1)} refuses to run ${production.test(context) ? 'in production' : 'outside development'} while ${name} is ${hit === 3 ? 'unset' : 'the development value'} (\`${masked(line.trim(), found.literal).slice(0, 100)}\`)`;
        }
      }
    }
  }
  return undefined;
}

/**
 * The flagged literal is the other side of the refusing comparison itself: `if not DEBUG and
 * SECRET_KEY == "dev-…":` whose block (the next lines, more indented) raises — the literal is
 * compared in order to refuse it.
 */
function refusingGuard(text: string, lines: readonly string[], flagged: number, live: (value: string) => boolean): string | undefined {
  const condition = /^\s*(?:if|elif)\b(.*?):?\s*\{?\s*$|^\s*if\s*\((.*)\)\s*\{?\s*$/.exec(text.split('\n')[0] ?? '');
  if (!condition) return undefined;
  const test = condition[1] ?? condition[2] ?? '';
  const compared = /\b[A-Za-z_$][\w$.]*\s*===?\s*(["'`])([^"'`\n]{4,})\1/.exec(test);
  if (!compared || live(compared[2] ?? '') || (!production.test(test) && !notDevelopment.test(test))) return undefined;
  // Its block: the statements right below, while they are more indented than the `if`.
  const indent = (lines[flagged] ?? '').search(/\S/);
  const body = [];
  for (let i = flagged + 1; i < lines.length && i <= flagged + 3; i += 1) {
    const line = lines[i] ?? '';
    if (line.trim() === '') continue;
    if (line.search(/\S/) <= indent) break;
    body.push(line);
  }
  const refusing = body.find((line) => refusal.test(line));
  const shown = test.split(compared[2] ?? '').join('•••').trim().slice(0, 90);
  return refusing && body.indexOf(refusing) === 0 ? `the literal is compared in order to refuse it: \`${shown}\` ${production.test(test) ? 'names production' : 'holds outside development'}, and its block refuses (\`${refusing.trim().slice(0, 80)}\`)` : undefined;
}

/** The refusing line as shown: any string in it that is part of the development value masked. */
const masked = (line: string, literal: string): string =>
  line.replace(/(["'`])([^"'`\n]{3,})\1/g, (all, q: string, body: string) => (literal.includes(body) ? `${q}•••${q}` : all));

/**
 * A constant returned only from a development branch of a function that refuses right after it:
 * `if (env.ADMIN_PASSWORD) return env.ADMIN_PASSWORD; if (dev) return LOCAL_ADMIN_PASSWORD; throw …`
 * (SvelteKit's `$app/environment` `dev`). Every other use of the constant in the file must be such a
 * return.
 */
function developmentBranchOnly(found: Flagged, lines: readonly string[], flagged: number, startLine: number): string | undefined {
  const name = found.names[0] ?? '';
  if (!/^[A-Z_][A-Z0-9_]{3,}$/.test(name)) return undefined;
  const n = escape(name);
  const uses = lines.map((text, i) => ({ text, i })).filter(({ text, i }) => i !== flagged && new RegExp(String.raw`(?<![\w$.])${n}(?![\w$])`).test(text));
  if (uses.length === 0) return undefined;
  const branch = new RegExp(String.raw`^\s*if\s*\(\s*(?:dev|isDev\w*|DEBUG|import\.meta\.env\.DEV)\s*\)\s*\{?\s*return\s+${n}\s*;?\s*\}?\s*$`);
  for (const { text, i } of uses) {
    if (!branch.test(text)) return undefined;
    const next = lines.slice(i + 1).find((l) => l.trim() !== '') ?? '';
    if (!/^\s*throw\b/.test(next)) return undefined;
  }
  return `${name} is returned only in the development branch (line ${startLine + (uses[0]?.i ?? 0)}: \`${(uses[0]?.text ?? '').trim().slice(0, 60)}\`), and the function throws right after it outside development`;
}
