/**
 * One commit of a small polyglot repository, and the SARIF seven scanners of a real CI job give on
 * it: CodeQL for Java and for JavaScript (each with its `/language:…/` automation id), Semgrep,
 * Bandit, two ESLint passes (the security plugins, then sonarjs with its Sonar keys in `helpUri`),
 * and a Semgrep run with custom rules uploaded under its own `category`. The shapes follow those
 * tools' real output (`../shared/fixtures/sarif`, `../shared/corpus`): ESLint gives no CWEs, Bandit
 * and Semgrep give CWE tags, CodeQL gives `external/cwe/cwe-…` tags.
 */

export const multiScannerFiles: Record<string, string> = {
  'src/main/java/app/Checksums.java': [
    'package app;',
    '',
    'import java.security.MessageDigest;',
    '',
    'public class Checksums {',
    '  public static byte[] digest(byte[] data) throws Exception {',
    '    MessageDigest md = MessageDigest.getInstance("MD5");',
    '    return md.digest(data);',
    '  }',
    '}',
    '',
  ].join('\n'),
  'web/app.js': [
    "const express = require('express');",
    'const app = express();',
    '',
    "app.get('/calc', (req, res) => {",
    '  res.send(String(eval(req.query.expr)));',
    '});',
    '',
    'app.listen(3000);',
    '',
  ].join('\n'),
  'tools/load.py': 'import yaml\n\n\ndef load(text):\n    return yaml.load(text)\n',
  'tools/run.py': 'import subprocess\n\n\ndef run(cmd):\n    return subprocess.call(cmd, shell=True)\n',
  'README.md': '# polyglot app\n',
};

interface Rule {
  id: string;
  tags?: string[];
  helpUri?: string;
}

interface Result {
  ruleId: string;
  path: string;
  line: number;
  level?: 'error' | 'warning' | 'note';
  message?: string;
}

interface RunSpec {
  tool: string;
  version: string;
  automationId?: string;
  rules: Rule[];
  results: Result[];
}

function run(spec: RunSpec): Record<string, unknown> {
  return {
    tool: {
      driver: {
        name: spec.tool,
        semanticVersion: spec.version,
        rules: spec.rules.map((rule) => ({
          id: rule.id,
          shortDescription: { text: rule.id },
          ...(rule.helpUri ? { helpUri: rule.helpUri } : {}),
          ...(rule.tags ? { properties: { tags: rule.tags } } : {}),
        })),
      },
    },
    ...(spec.automationId ? { automationDetails: { id: spec.automationId } } : {}),
    results: spec.results.map((result) => ({
      ruleId: result.ruleId,
      level: result.level ?? 'error',
      message: { text: result.message ?? `${result.ruleId} found a problem` },
      locations: [{ physicalLocation: { artifactLocation: { uri: result.path }, region: { startLine: result.line } } }],
    })),
  };
}

/** The seven uploads, in the order a CI job sends them; `category` is the upload's query parameter. */
export function multiScannerUploads(): { name: string; category?: string; run: Record<string, unknown> }[] {
  return [
    {
      name: 'CodeQL Java',
      run: run({
        tool: 'CodeQL', version: '2.19.3', automationId: '/language:java/',
        rules: [{ id: 'java/weak-cryptographic-algorithm', tags: ['security', 'external/cwe/cwe-327', 'external/cwe/cwe-328'] }],
        results: [{ ruleId: 'java/weak-cryptographic-algorithm', path: 'src/main/java/app/Checksums.java', line: 7, level: 'warning' }],
      }),
    },
    {
      name: 'CodeQL JavaScript',
      run: run({
        tool: 'CodeQL', version: '2.19.3', automationId: '/language:javascript/',
        rules: [{ id: 'js/code-injection', tags: ['security', 'external/cwe/cwe-094', 'external/cwe/cwe-095', 'external/cwe/cwe-079', 'external/cwe/cwe-116'] }],
        results: [{ ruleId: 'js/code-injection', path: 'web/app.js', line: 5 }],
      }),
    },
    {
      name: 'Semgrep',
      run: run({
        tool: 'Semgrep OSS', version: '1.95.0',
        rules: [
          { id: 'javascript.browser.security.eval-detected.eval-detected', tags: ['CWE-95: Improper Neutralization of Directives in Dynamically Evaluated Code'] },
          { id: 'python.lang.security.deserialization.avoid-pyyaml-load.avoid-pyyaml-load', tags: ['CWE-502: Deserialization of Untrusted Data'] },
        ],
        results: [
          { ruleId: 'javascript.browser.security.eval-detected.eval-detected', path: 'web/app.js', line: 5, level: 'warning' },
          { ruleId: 'python.lang.security.deserialization.avoid-pyyaml-load.avoid-pyyaml-load', path: 'tools/load.py', line: 5 },
        ],
      }),
    },
    {
      name: 'Bandit',
      run: run({
        tool: 'Bandit', version: '1.9.4',
        rules: [{ id: 'B506', tags: ['CWE-20'] }],
        results: [{ ruleId: 'B506', path: 'tools/load.py', line: 5, level: 'warning' }],
      }),
    },
    {
      name: 'ESLint security',
      run: run({
        tool: 'ESLint', version: '9.39.5',
        rules: [{ id: 'no-eval' }, { id: 'security/detect-eval-with-expression' }],
        results: [
          { ruleId: 'no-eval', path: 'web/app.js', line: 5 },
          { ruleId: 'security/detect-eval-with-expression', path: 'web/app.js', line: 5, level: 'warning' },
        ],
      }),
    },
    {
      name: 'ESLint sonarjs',
      run: run({
        tool: 'ESLint', version: '9.39.5',
        rules: [{ id: 'sonarjs/code-eval', helpUri: 'https://sonarsource.github.io/rspec/#/rspec/S1523/javascript' }],
        results: [{ ruleId: 'sonarjs/code-eval', path: 'web/app.js', line: 5, level: 'warning' }],
      }),
    },
    {
      name: 'Semgrep custom rules (category)',
      category: 'semgrep-custom',
      run: run({
        tool: 'Semgrep OSS', version: '1.95.0',
        rules: [{ id: 'rules.subprocess-shell-true', tags: ['CWE-78: OS Command Injection'] }],
        results: [{ ruleId: 'rules.subprocess-shell-true', path: 'tools/run.py', line: 5 }],
      }),
    },
  ];
}

/** A SARIF log holding `runs`. */
export const sarifOf = (runs: readonly Record<string, unknown>[]): string => JSON.stringify({ version: '2.1.0', runs });
