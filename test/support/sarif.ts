/** Small, valid SARIF logs for tests, shaped like Semgrep's output. */
export interface SimpleResult {
  ruleId: string;
  path: string;
  line: number;
  message?: string;
  level?: 'error' | 'warning' | 'note';
  snippet?: string;
  tags?: string[];
}

export function sarifLog(results: SimpleResult[], tool = 'Semgrep OSS'): string {
  const ruleIds = [...new Set(results.map((r) => r.ruleId))];
  return JSON.stringify({
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: {
          driver: {
            name: tool,
            semanticVersion: '1.95.0',
            rules: ruleIds.map((id) => ({
              id,
              shortDescription: { text: id },
              properties: { precision: 'very-high', tags: results.find((r) => r.ruleId === id)?.tags ?? [] },
            })),
          },
        },
        results: results.map((r) => ({
          ruleId: r.ruleId,
          level: r.level ?? 'error',
          message: { text: r.message ?? `${r.ruleId} found a problem` },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: r.path },
                region: { startLine: r.line, ...(r.snippet ? { snippet: { text: r.snippet } } : {}) },
              },
            },
          ],
        })),
      },
    ],
  });
}

export const YAML_RULE = 'python.lang.security.deserialization.avoid-pyyaml-load.avoid-pyyaml-load';

export const vulnerablePython = {
  'loader.py': 'import yaml\n\n\ndef load(text):\n    return yaml.load(text)\n',
  'README.md': '# app\n',
};

export const yamlFinding = (line = 5): SimpleResult => ({
  ruleId: YAML_RULE,
  path: 'loader.py',
  line,
  snippet: '    return yaml.load(text)',
  tags: ['CWE-502: Deserialization of Untrusted Data'],
});

/** A module whose `yaml.load` is on line 5, where `yamlFindingIn` points. */
export const yamlLoader = (name: string): string => `import yaml\n\n\ndef load_${name}(text):\n    return yaml.load(text)\n`;

export const yamlFindingIn = (path: string): SimpleResult => ({ ruleId: YAML_RULE, path, line: 5, snippet: '    return yaml.load(text)', tags: ['CWE-502'] });
