/**
 * Whether a file a fix pull request changed still parses, checked by the language's own tools:
 * `node --check` for JavaScript, `python3 -m py_compile` for Python, the TypeScript compiler's
 * parser for TypeScript. The content is written to a temporary file outside the project.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import ts from 'typescript';

export type ParseResult = { path: string; checker: string; ok: true } | { path: string; checker: string; ok: false; error: string };

const firstLines = (text: string): string => text.trim().split('\n').slice(0, 3).join(' | ').slice(0, 300);

function runOn(path: string, content: string, command: string, args: (file: string) => string[]): { ok: boolean; error: string } {
  const dir = mkdtempSync(join(tmpdir(), 'remediate-parse-'));
  try {
    const file = join(dir, basename(path));
    writeFileSync(file, content);
    const result = spawnSync(command, args(file), { encoding: 'utf8', timeout: 30_000 });
    if (result.error) return { ok: false, error: `${command} could not run: ${result.error.message}` };
    return { ok: result.status === 0, error: firstLines(`${result.stderr}${result.stdout}`) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function parseCheck(path: string, content: string): ParseResult {
  const ext = extname(path).toLowerCase();
  if (ext === '.ts' || ext === '.tsx' || ext === '.mts' || ext === '.cts') {
    const kind = ext === '.tsx' ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
    const source = ts.createSourceFile(path, content, ts.ScriptTarget.Latest, true, kind);
    // `parseDiagnostics` holds the syntax errors only (no type checking); not in the public typings.
    const diagnostics = (source as unknown as { parseDiagnostics?: ts.Diagnostic[] }).parseDiagnostics ?? [];
    const first = diagnostics[0];
    return first ? { path, checker: 'typescript', ok: false, error: ts.flattenDiagnosticMessageText(first.messageText, '\n') } : { path, checker: 'typescript', ok: true };
  }
  if (ext === '.js' || ext === '.cjs' || ext === '.mjs') {
    const checked = runOn(path, content, process.execPath, (file) => ['--check', file]);
    return checked.ok ? { path, checker: 'node --check', ok: true } : { path, checker: 'node --check', ok: false, error: checked.error };
  }
  if (ext === '.py') {
    const checked = runOn(path, content, 'python3', (file) => ['-m', 'py_compile', file]);
    return checked.ok ? { path, checker: 'py_compile', ok: true } : { path, checker: 'py_compile', ok: false, error: checked.error };
  }
  return { path, checker: 'none', ok: false, error: `no parse check for ${ext || 'files without an extension'}` };
}
