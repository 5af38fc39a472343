/** Generated SARIF for benchmarks: many small results of the shape scanners usually write. */
const rules = Array.from({ length: 50 }, (_, i) => ({ id: `rule-${i}`, properties: { tags: [`CWE-${79 + i}`], precision: 'high' } }));

const result = (i: number): string =>
  JSON.stringify({
    ruleId: `rule-${i % 50}`,
    level: 'warning',
    message: { text: `Problem number ${i} with a message of ordinary length that scanners tend to write for a finding.` },
    locations: [{ physicalLocation: { artifactLocation: { uri: `src/module-${i % 997}/file-${i % 31}.js` }, region: { startLine: (i % 400) + 1, snippet: { text: `const value${i} = compute(input${i});` } } } }],
  });

/** A log of `results` results, or as many as fit in `maxBytes`. */
export function syntheticSarif(limit: { results?: number; maxBytes?: number }): string {
  const head = JSON.stringify({ version: '2.1.0', runs: [{ tool: { driver: { name: 'Synthetic', rules } }, results: [] }] }).slice(0, -4);
  const parts: string[] = [];
  let size = head.length + 4;
  for (let i = 0; i < (limit.results ?? Number.POSITIVE_INFINITY); i += 1) {
    const next = result(i);
    if (limit.maxBytes !== undefined && size + next.length + 1 > limit.maxBytes) break;
    parts.push(next);
    size += next.length + 1;
  }
  return `${head}${parts.join(',')}]}]}`;
}
