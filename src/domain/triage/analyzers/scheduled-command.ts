import { escape } from '../guards';
import { quote, ruleText, type AnalyzerInput, type DecisiveAnalyzer } from './types';

/**
 * A shell command in a CLI subcommand that only a schedule runs (a Kubernetes CronJob's or a
 * crontab's fixed command line; `operator-tools.ts` `scheduled`), built only from that subcommand's
 * parameters (their values are the deployment file's fixed arguments or the defaults), settings the
 * operator configures (`get_settings().database_url`, `settings.X`, `os.environ[…]`), literals and
 * the clock's date: nobody but the operator supplies any part of it. Conservative: Python only,
 * every interpolated value traced through at most a few local assignments, any other call or name
 * and it decides nothing; a subcommand also run by hand or by a service decides nothing.
 */
const commandRule = /subprocess|shell|os[-_.]system|popen|command[-_]?injection|\bb60[2-7]\b|cwe-78\b/;
const settingRead = /\bget_settings\(\)\.\w+|\bsettings\.[A-Za-z_]\w*|\bos\.environ\[\s*["']\w+["']\s*\]|\bos\.environ\.get\(\s*["']\w+["']\s*(?:,\s*["'][^"']*["'])?\s*\)|\bos\.getenv\(\s*["']\w+["']\s*\)/g;
const clock = /\b(?:datetime\.(?:utcnow|now)|date\.today)\(\)(?::[^}]*)?/g;
const stringOps = /\.(?:replace|strip|rstrip|lstrip)\((?:\s*["'][^"']*["']\s*,?)*\s*\)/g;

/** Whether `expression` is made only of parameters, settings, literals, the clock and locals made so. */
function operatorOnly(expression: string, params: readonly string[], body: readonly string[], depth: number): boolean {
  // The f-strings' interpolations are judged; their text is literal.
  const inner: string[] = [];
  let rest = expression.replace(/\bf(["'])((?:(?!\1)[^\\]|\\.)*)\1/g, (_m, _q, text: string) => {
    for (const m of text.matchAll(/\{([^{}]+)\}/g)) inner.push(m[1] ?? '');
    return ' ';
  });
  rest = rest.replace(settingRead, ' ').replace(clock, ' ').replace(stringOps, ' ').replace(/(["'])(?:(?!\1)[^\\]|\\.)*\1/g, ' ').replace(/\bPath\(\s*\)/g, ' ');
  if (/\(/.test(rest.replace(/\bPath\(/g, ''))) return false;
  if (inner.some((e) => !operatorOnly(e.replace(/![rsa]$/, ''), params, body, depth))) return false;
  const names = [...rest.matchAll(/(?<![\w.])([A-Za-z_]\w*)(?![\w(])/g)].map((m) => m[1] ?? '').filter((n) => !['Path', 'str', 'None', 'True', 'False'].includes(n));
  return names.every((name) => {
    if (params.includes(name)) return true;
    if (depth >= 3) return false;
    const assigned = body.filter((l) => new RegExp(String.raw`^\s*${escape(name)}\s*(?::[^=]+)?=(?!=)`).test(l));
    if (assigned.length !== 1) return false;
    return operatorOnly((assigned[0] ?? '').replace(/^[^=]+=\s*/, ''), params, body, depth + 1);
  });
}

export const scheduledCommand: DecisiveAnalyzer = (input) => {
  const { finding, where, repository, view } = input;
  const path = finding.location?.path ?? '';
  const line = finding.location?.startLine ?? 0;
  const runs = repository?.operatorTools?.cliRuns.get(path);
  if (!view || !runs?.scheduled || !/\.py$/.test(path) || !commandRule.test(`${ruleText(finding)} ${finding.cwes.join(' ').toLowerCase()}`)) return undefined;
  const command = runs.commands.filter((c) => line >= c.from && line <= c.to).sort((a, b) => (a.to - a.from) - (b.to - b.from))[0];
  if (!command || !runs.scheduled.includes(command.name)) return undefined;
  const at = (n: number) => view.lines[n - view.startLine] ?? '';
  const header = Array.from({ length: command.from - command.at + 1 }, (_, k) => at(command.at + k)).join(' ');
  const signature = /\bdef\s+\w+\s*\(([^)]*(?:\([^)]*\)[^)]*)*)\)/.exec(header)?.[1];
  if (signature === undefined) return undefined;
  const params = [...signature.matchAll(/(?:^|,)\s*\*{0,2}([A-Za-z_]\w*)/g)].map((m) => m[1] ?? '');
  const body = Array.from({ length: Math.max(0, line - command.from - 1) }, (_, k) => at(command.from + k + 1));
  const here = at(line).trim();
  const m = /\b(?:subprocess\.(?:run|call|check_call|check_output|Popen)|os\.system|os\.popen)\(\s*(.+?)(?:,\s*(?:shell|check|capture_output|text|cwd|env)\s*=.*)?\)\s*$/.exec(here);
  if (!m || !operatorOnly(m[1] ?? '', params, body, 0)) return undefined;
  return {
    verdict: 'false_positive',
    category: 'defused',
    base: 80,
    factor: { id: 'scheduled-command', weight: 0, detail: `Only a schedule runs the \`${command.name}\` subcommand (${runs.evidence}), and the command is built from its fixed arguments, the operator's settings, literals and the date.` },
    justification: `Not exploitable as reported: at ${where} the command (\`${quote(here, 90)}\`) is built only from the \`${command.name}\` subcommand's parameters, settings the operator configures, literals and the date; only a schedule runs that subcommand, with fixed arguments (${runs.evidence}), so no one but the operator supplies any part of it.`,
  };
};
