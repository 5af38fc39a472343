/** SARIF 2.1.0 ingestion: parse and validate, then normalise results into findings. See README.md. */
export { parseSarif } from './parse';
export { normaliseLog, DEFAULT_MAX_RESULTS } from './normalise';
export type { NormaliseOptions, NormalisedLog, NormaliseCounts, RuleClassifier, SkippedResult, ToolRef } from './normalise';
export type { SarifLog } from './schema';
export { MAX_RUNS, type TrimmedField } from './bounds';
export { mapAbsoluteLocations, needsRepositoryTree, RepositoryTree } from './absolute-paths';
export type { PathMappingResult, PathMatch } from './absolute-paths';
