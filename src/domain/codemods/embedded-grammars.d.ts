/**
 * Type of the module scripts/embed-grammars.ts writes beside this file (`grammars.generated.ts`, git-ignored; run by
 * `npm run build`). Type-checking works without it; a bundle cannot be built without it, so a deploy never ships
 * without the grammars. See src/domain/codemods/README.md, "Bundling".
 */
/** base64(gzip(.wasm bytes)) by file name (`tree-sitter.wasm`, `tree-sitter-python.wasm`, …). */
export declare const embeddedWasm: Readonly<Record<string, string>>;
