import { familyOf } from '../families';
import { statement } from '../code-view';
import { credentialRule, ruleText, type AnalyzerInput, type DecisiveAnalyzer } from './types';

/**
 * Findings in code only an operator or developer starts (`operator-tools.ts`): a stand-alone
 * program no production entry point runs, or a development subcommand (`dev-server`, `seed`) of a
 * CLI whose other subcommands production runs. Set aside only where the harm needs input from
 * someone other than the person running it — injection or a path from argv, a missing timeout,
 * binding all interfaces, a non-security random number, ReDoS, `assert`. What leaks or hard-codes
 * a credential stays a finding: an operator's tool still commits its secrets and writes its logs
 * (secrets, clear-text logging, weak hashing, TLS verification turned off).
 */
const leaksCredential = /clear-?text|sensitive|log(ging)?[-_](secret|password|credential)|cwe-(200|209|256|257|261|312|313|315|319|359|522|532|759|760|916)\b/;
const secretWord = /token|secret|passw|otp|\bpin\b|salt|nonce|session|key|\bcode\b|\bid\b|uuid|ticket|voucher|invite|reset/i;

function operatorOnlyHarm({ finding, view }: AnalyzerInput): boolean {
  if (credentialRule(finding) || leaksCredential.test(ruleText(finding))) return false;
  const family = familyOf(finding);
  if (!['injection', 'deserialisation', 'randomness', 'configuration', 'code-quality', 'dom-sinks'].includes(family)) return false;
  // A random value an operator's tool mints as a key or token is used in production afterwards.
  return family !== 'randomness' || (view !== undefined && !secretWord.test(statement(view)));
}

export const operatorTool: DecisiveAnalyzer = (input) => {
  const { finding, where, repository } = input;
  const path = finding.location?.path;
  const evidence = path ? repository?.operatorTools?.tools.get(path) : undefined;
  if (!path || !evidence || !operatorOnlyHarm(input)) return undefined;
  return {
    verdict: 'wont_fix',
    category: 'non_production',
    base: 80,
    factor: { id: 'operator-tool', weight: 0, detail: `${path} is a stand-alone program: ${evidence}.` },
    justification: `${where} is in a program only an operator or developer starts by hand: ${evidence}. Its input is the person running it, so this is not worth a pull request.`,
  };
};

/** A subcommand name that says it is for development (`dev-server`, `runserver`, `shell`, `seed`, `load-fixtures`). */
const developmentCommand = /^(dev|develop|development|devserver|dev-server|run-?dev|serve-?dev|dev-[\w-]+|[\w-]+-dev|runserver|shell|repl|console|seed|seed-[\w-]+|[\w-]+-seed|load-?fixtures|fixtures|fake-[\w-]+|fake|demo|demo-[\w-]+|sample-data|populate-[\w-]+)$/;

export const developmentSubcommand: DecisiveAnalyzer = (input) => {
  const { finding, where, repository } = input;
  const path = finding.location?.path;
  const line = finding.location?.startLine ?? 0;
  const runs = path ? repository?.operatorTools?.cliRuns.get(path) : undefined;
  if (!path || !runs || !operatorOnlyHarm(input)) return undefined;
  // The innermost subcommand whose code holds the line (a nested group's command inside its group).
  const command = runs.commands.filter((c) => line >= c.from && line <= c.to).sort((a, b) => (a.to - a.from) - (b.to - b.from))[0];
  if (!command || runs.subcommands.includes(command.name) || !developmentCommand.test(command.name)) return undefined;
  const ran = runs.subcommands.map((s) => `\`${s}\``).join(', ');
  return {
    verdict: 'wont_fix',
    category: 'non_production',
    base: 80,
    factor: { id: 'development-subcommand', weight: 0, detail: `Line ${command.at} declares the \`${command.name}\` subcommand; production runs only ${ran} of this CLI (${runs.evidence}).` },
    justification: `${where} is in the \`${command.name}\` subcommand (line ${command.at}), which its name says is for development; production runs only ${ran} of this CLI (${runs.evidence}).`,
  };
};
