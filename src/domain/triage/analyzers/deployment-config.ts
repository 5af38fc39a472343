import { fileLine, indentOf, statement } from '../code-view';
import { djangoLevelOf, djangoLevels, type DjangoLevels } from '../django-logging';
import { effectiveLevel, type ProductionIni } from '../ini-settings';
import { setsDebug } from '../logging-levels';
import { privateTmpOf } from '../private-tmp';
import { withinProject } from '../text-readers';
import { quote, ruleText, type DecisiveAnalyzer } from './types';
import { dirOf } from '../repo-paths';

/**
 * What production's configuration and deployment say, beyond which files ship: a container whose
 * `/tmp` is its own, a setting only the development `.ini` turns on, a DEBUG record production's
 * logging configuration drops. Each names the deployment or configuration line that decided.
 */


/**
 * A shared temporary directory is a risk because other local users can read it or plant files in it
 * first. A production container whose image runs its application as a non-root `USER` has a `/tmp`
 * of its own that no other user shares (`private-tmp.ts`). A secret kept there is confirmed earlier
 * (`secretAtPredictablePath`); code the image does not hold, or that a host-side entry point also
 * runs, stays a finding.
 */
export const containerTemp: DecisiveAnalyzer = ({ finding, where, repository, view }) => {
  if (!finding.location || !repository?.privateTmp || !view || !/\btmp\b|tempdir|temp-?file|insecure-temp|cwe-377\b|cwe-379\b|cwe-108\b/.test(ruleText(finding))) return undefined;
  const written = [...statement(view).matchAll(/["'`](\/tmp(?:\/[^"'`\s]*)?)["'`]/g)].map((m) => (m[1] ?? '').replace(/\/$/, ''));
  if (written.length === 0) return undefined;
  const containers = written.map((tmp) => privateTmpOf(repository.privateTmp, finding.location!.path, tmp));
  const container = containers[0];
  if (!container || containers.some((c) => !c)) return undefined;
  // A program of its own (`__main__`, argparse, a shebang) that no production entry point runs may be started on a host, outside the container.
  const whole = repository.modules?.get(finding.location.path)?.join('\n') ?? view.lines.join('\n');
  const program = /^if\s+__name__\s*==\s*["']__main__["']|^#!|\bargparse\b|\bsys\.argv\b|\bprocess\.argv\b|require\.main\s*===\s*module/m.test(whole);
  if (program && !(repository.entryPoints?.points ?? []).some((p) => p.runs.some((r) => r.file === finding.location!.path))) return undefined;
  return {
    verdict: 'false_positive',
    category: 'not_security',
    base: 80,
    factor: { id: 'container-private-tmp', weight: 0, detail: `${finding.location.path} runs where that path is private to it (${container.user}): a container's own /tmp, or a pod's own emptyDir.` },
    justification: `${where} uses a fixed path under /tmp where production gives the code a private one (${container.user}); no other local user shares it, so there is no one to race or plant files.`,
  };
};

/** The production ini files of the application holding `path`. */
function productionInis(repository: NonNullable<Parameters<DecisiveAnalyzer>[0]['repository']>, path: string): ProductionIni[] {
  return (repository.ini?.production ?? []).filter((ini) => withinProject(path, dirOf(ini.path)));
}

const truthy = /^(true|yes|on|1)$/i;
const falsy = /^(false|no|off|0|)$/i;
/**
 * A condition that holds only when a setting read by name is on: `s.get("x.y") == "true"`,
 * `asbool(s.get("x.y"))`, `s["x.y"]`, optionally `and`-ed with more; no `or`, no `not`.
 */
function positiveSetting(condition: string): { key: string; absentIsOff: boolean } | undefined {
  if (/\bor\b|\bnot\b|!=/.test(condition)) return undefined;
  const read = /\b\w+(?:\.\w+)*(?:\.get\(\s*["']([\w.-]+)["']\s*(?:,\s*(None|False|["'](?:false|0|)["']))?\s*\)|\[\s*["']([\w.-]+)["']\s*\])/.exec(condition);
  const key = read?.[1] ?? read?.[3];
  if (!read || !key || !key.includes('.')) return undefined;
  const rest = condition.slice((read.index ?? 0) + read[0].length);
  const before = condition.slice(0, read.index ?? 0);
  const compared = /^\s*\)?\s*==\s*["'](true|yes|on|1)["']/i.exec(rest);
  const wrapped = /\basbool\(\s*$/.test(before);
  const bare = /(^|\band\s+|\()\s*$/.test(before.replace(/^\s*(?:el)?if\s+/, '')) && /^\s*(:|\band\b|$)/.test(rest);
  if (!compared && !wrapped && !bare) return undefined;
  return { key, absentIsOff: true };
}

/**
 * Code inside `if settings.get("app.show_errors") == "true":` (or `asbool(…)`) when the `.ini`
 * production chooses sets that setting off or leaves it out, and another ini of the application
 * (development's) turns it on: the block never runs in production.
 */
export const iniGuardedSetting: DecisiveAnalyzer = ({ finding, where, repository, view }) => {
  if (!finding.location || !repository?.ini || !view || !/\.py$/.test(finding.location.path)) return undefined;
  const inis = productionInis(repository, finding.location.path);
  if (inis.length === 0) return undefined;
  let indent = indentOf(view.lines[view.flagged] ?? '');
  for (let i = view.flagged - 1; i >= 0 && indent > 0; i -= 1) {
    const line = view.lines[i] ?? '';
    if (line.trim() === '' || indentOf(line) >= indent) continue;
    indent = indentOf(line);
    if (/^\s*(def|class|async\s+def)\s/.test(line)) return undefined;
    const condition = /^\s*(?:el)?if\s+(.+):\s*$/.exec(line)?.[1];
    const setting = condition ? positiveSetting(condition) : undefined;
    if (!setting) continue;
    const sets = inis.map((ini) => ini.settings.get(setting.key));
    if (sets.some((s) => s !== undefined && !falsy.test(s.value))) return undefined;
    const on = [...repository.ini.all].find(([path, settings]) => !inis.some((ini) => ini.path === path) && withinProject(finding.location!.path, dirOf(path)) && truthy.test(settings.get(setting.key)?.value ?? ''));
    if (!on) return undefined;
    const production = inis.map((ini, k) => (sets[k] ? `${sets[k]!.at} sets \`${setting.key} = ${sets[k]!.value}\`` : `${ini.path} leaves \`${setting.key}\` out`)).join('; ');
    const chosen = inis.map((ini) => ini.chosenBy).join('; ');
    return {
      verdict: 'false_positive',
      category: 'defused',
      base: 84,
      factor: { id: 'ini-setting-off', weight: 0, detail: `Line ${fileLine(view, i)} (\`${quote(line, 80)}\`) runs the block only when \`${setting.key}\` is on; production's configuration is chosen by ${chosen}, and ${production}; only ${on[1].get(setting.key)!.at} turns it on.` },
      justification: `${where} runs only when the setting \`${setting.key}\` is on (line ${fileLine(view, i)}); ${production}, the file production runs with (${chosen}), so the block never runs there.`,
    };
  }
  return undefined;
};

/** The Django `LOGGING` production runs for the project holding `path` (`django-logging.ts`). */
function djangoFor(repository: NonNullable<Parameters<DecisiveAnalyzer>[0]['repository']>, path: string): { levels: DjangoLevels; settings: string } | undefined {
  for (const settings of repository.productionSettings ?? []) {
    // The import root: above the project package that holds `settings/` or `settings.py`.
    const root = dirOf(dirOf(settings.path.replace(/\/settings\/[\w]+\.py$/, '/settings.py')));
    if (!withinProject(path, root)) continue;
    const levels = djangoLevels(settings, repository.modules ?? new Map(), repository.productionEnvironment);
    if (levels) return { levels, settings: settings.path };
  }
  return undefined;
}

/** Candidate logger names of a module: every dotted suffix of its path (`a.b.c`, `b.c`, `c`). */
function moduleNames(path: string): string[] {
  const parts = path.replace(/\.py$/, '').replace(/\/__init__$/, '').split('/');
  return parts.map((_, i) => parts.slice(i).join('.'));
}

/**
 * A secret logged at DEBUG (`log.debug(…)`) when the `.ini` production chooses sets that logger (or
 * its parent, or the root) to INFO or higher: the record is never written in production. Not when
 * the file turns a level up itself (`setLevel`, `basicConfig(level=…)`), nor when the level is not
 * a literal in production's file.
 */
export const debugLogInProduction: DecisiveAnalyzer = ({ finding, where, repository, view, code }) => {
  if (!finding.location || !repository || !view || !/\.py$/.test(finding.location.path)) return undefined;
  if (!/log|cwe-532\b|cwe-312\b|cwe-359\b|credential-disclosure/.test(ruleText(finding))) return undefined;
  const call = /^\s*(\w+)\.debug\(/.exec(statement(view));
  const path = finding.location.path;
  const whole = repository.modules?.get(path)?.join('\n') ?? code;
  if (!call || [...(repository.modules ?? new Map<string, readonly string[]>()).values()].some((lines) => setsDebug(lines.join('\n'))) || setsDebug(whole)) return undefined;
  const receiver = call[1] ?? '';
  let names: string[];
  if (receiver === 'logging') names = [''];
  else {
    const made = new RegExp(String.raw`^${receiver}\s*=\s*logging\.getLogger\(\s*(__name__|["']([\w.]+)["'])\s*\)\s*$`, 'm').exec(whole);
    if (!made) return undefined;
    names = made[2] ? [made[2]] : moduleNames(path);
  }
  const inis = repository.ini ? productionInis(repository, path) : [];
  let lines: string;
  let chosen: string;
  if (inis.length > 0) {
    if (/setLevel\(|basicConfig\(|dictConfig\(|fileConfig\(/.test(whole)) return undefined;
    const decided = inis.flatMap((ini) => names.map((name) => effectiveLevel(ini, name)));
    if (decided.some((d) => !d || d.level <= 10)) return undefined;
    lines = [...new Set(decided.map((d) => `${d!.at} (\`${d!.logger}\` at level ${d!.level >= 30 ? 'WARNING or higher' : 'INFO'})`))].join(', ');
    chosen = `production's logging configuration, chosen by ${inis.map((ini) => ini.chosenBy).join('; ')}`;
  } else if (djangoFor(repository, path)) {
    const { levels, settings } = djangoFor(repository, path)!;
    const decided = names.map((name) => djangoLevelOf(levels, name));
    if (decided.some((d) => !d || d.level === undefined || d.level <= 10)) return undefined;
    lines = [...new Set(decided.map((d) => `${d!.at} (\`${d!.logger}\` at level ${d!.level! >= 30 ? 'WARNING or higher' : 'INFO'})`))].join(', ');
    chosen = `the LOGGING of ${settings}, the settings production runs (${levels.chosenBy})`;
  } else {
    // The root level production's programs set with `logging.basicConfig(level=…)` (`logging-levels.ts`).
    const roots = (repository.rootLevels ?? []).filter((r) => withinProject(path, dirOf(r.file)));
    // A production command starting a script not read may configure logging in a way not seen.
    if ((repository.entryPoints?.opaque.length ?? 0) > 0) return undefined;
    if (roots.length === 0 || roots.some((r) => r.level === undefined || r.level <= 10)) return undefined;
    lines = [...new Set(roots.map((r) => `${r.at} (the root logger at ${r.level! >= 30 ? 'WARNING or higher' : 'INFO'})`))].join(', ');
    chosen = "production's programs' logging set-up";
  }
  return {
    verdict: 'false_positive',
    category: 'defused',
    base: 82,
    factor: { id: 'debug-log-off', weight: 0, detail: `\`${receiver}.debug(…)\` writes a DEBUG record; ${chosen} sets ${lines}, so the record is dropped.` },
    justification: `${where} logs at DEBUG, and production drops DEBUG records for this logger: ${lines} (${chosen}).`,
  };
};
