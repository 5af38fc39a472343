/**
 * Type of `./grammars.generated`, the module scripts/embed-grammars.ts writes beside parser.ts (git-ignored; run by
 * `npm run build`). When the file exists TypeScript reads it; without it this declaration keeps type-checking working.
 * A Forge bundle cannot be built without it. See README.md, "Bundling (Forge)".
 */
declare module '*/grammars.generated' {
  /** base64(gzip(.wasm bytes)) by file name (`tree-sitter.wasm`, `tree-sitter-python.wasm`, …). */
  export const embeddedWasm: Readonly<Record<string, string>>;
}
