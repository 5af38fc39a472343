/** Kept for existing imports: the snippets live in ci-snippets.ts. */
export { pipelinesSnippet } from './ci-snippets';
