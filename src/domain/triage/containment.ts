import { indentOf, type NumberedLine } from './code-view';
import { block, dominates, escape, reject, type Guard } from './guards';

/**
 * Path containment checks that defuse path traversal, on the value the sink opens: the path is
 * made absolute and normalised, then required to lie under a base folder, and the function leaves
 * (return, raise, abort, throw) when it does not — before the sink, in a block that holds it.
 *
 * Normalising: `os.path.realpath`/`abspath`/`normpath`, pathlib's `.resolve()`, Node's
 * `path.resolve`/`path.normalize`/`path.join` (Node's join normalises `..`), Java's
 * `normalize()`/`getCanonicalPath()`/`toRealPath()`.
 * Checks:
 * - `if not target.startswith(base)`, `if (!target.startsWith(root + path.sep))`;
 * - `if os.path.commonpath([base, target]) != base`;
 * - `if not target.is_relative_to(base)`, `if base not in target.parents`;
 * - `target.relative_to(base)` in a `try:` whose `except` leaves;
 * - Node: `rel = path.relative(root, target)` then `if (rel.startsWith('..') …)` leaving;
 * - the check made on the normalised value itself: `if not os.path.realpath(p).startswith(base)`.
 * werkzeug's `safe_join` is a sanitiser of the path family (value-flow.ts), not a check.
 */
const normalised = String.raw`(?:path\.resolve\(|(?<![\w.])path\.join\(|path\.normalize\(|\.normalize\(\)|realpath\(|abspath\(|normpath\(|\.resolve\((?:strict\s*=\s*True)?\)|getCanonicalPath\(|toRealPath\()`;

export function containmentCheck(name: string, scope: readonly NumberedLine[], flaggedIndent = Number.MAX_SAFE_INTEGER): Guard | undefined {
  const n = escape(name);
  const made = scope.some(({ text }) => new RegExp(String.raw`(?:^|[^\w$.])${n}\s*(?::\s*[\w.]+\s*)?=(?!=).*${normalised}`).test(text));
  const leaves = (index: number): boolean => reject.test(block(scope, index)) && dominates(scope, index, flaggedIndent, name);
  const found = (index: number): Guard => ({ kind: 'pattern', line: scope[index]?.line ?? 0, code: (scope[index]?.text ?? '').trim() });

  const onValue = made
    ? [
      new RegExp(String.raw`\bif\s*\(?\s*(?:!|not\s+)\s*${n}\.(?:startsWith|startswith|is_relative_to)\(`),
      new RegExp(String.raw`\bif\s*\(?\s*(?:os\.path\.)?commonpath\(\s*[[(][^\])]*(?<![\w$.])${n}(?![\w$])[^\])]*[\])]\s*\)\s*!=`),
      new RegExp(String.raw`\bif\s*\(?.*!=\s*(?:os\.path\.)?commonpath\(\s*[[(][^\])]*(?<![\w$.])${n}(?![\w$])[^\])]*[\])]\s*\)`),
      // pathlib: `if root not in target.parents:`
      new RegExp(String.raw`^\s*if\s+[\w.()]+\s+not\s+in\s+${n}\.parents\s*:`),
    ]
    : [];
  // The normalised value checked inline: `if not os.path.realpath(p).startswith(base)`.
  const inline = new RegExp(String.raw`\bif\s*\(?\s*(?:!|not\s+)\s*(?:os\.path\.realpath|os\.path\.abspath|path\.resolve|Path)\(\s*${n}\s*\)(?:\.resolve\(\))?\.(?:startsWith|startswith|is_relative_to)\(|\bif\s*\(.*path\.relative\([^,]+,\s*${n}\s*\)\.(?:startsWith|includes)\(\s*["'\`]\.\.`);
  for (const [index, { text }] of scope.entries()) {
    if ((onValue.some((check) => check.test(text)) || inline.test(text)) && leaves(index)) return found(index);
  }

  // `target.relative_to(base)` inside `try:`, with an `except` that leaves.
  if (made) {
    for (const [index, { text }] of scope.entries()) {
      if (!new RegExp(String.raw`(?<![\w$.])${n}\.relative_to\(`).test(text)) continue;
      const tryIndex = scope.slice(0, index).map((l) => l.text).findLastIndex((t) => /^\s*try\s*:/.test(t));
      if (tryIndex < 0 || indentOf(scope[tryIndex]?.text ?? '') >= indentOf(text)) continue;
      const tryIndent = indentOf(scope[tryIndex]?.text ?? '');
      const handler = scope.findIndex((l, i) => i > index && indentOf(l.text) === tryIndent && /^\s*except\b/.test(l.text));
      if (handler > 0 && reject.test(block(scope, handler)) && dominates(scope, tryIndex, flaggedIndent, name)) return found(index);
    }
  }

  // Node: `const rel = path.relative(root, target); if (rel.startsWith('..') || path.isAbsolute(rel)) return …`.
  for (const { text } of scope) {
    const relative = new RegExp(String.raw`^\s*(?:(?:const|let|var)\s+)?([\w$]+)\s*=\s*path\.relative\([^,]+,\s*${n}\s*\)`).exec(text);
    if (!relative) continue;
    const rel = escape(relative[1] ?? '');
    const check = new RegExp(String.raw`\bif\s*\(.*\b${rel}\.(?:startsWith|includes)\(\s*["'\`]\.\.|\bif\s*\(.*\b${rel}\.split\([^)]*\)\[0\]\s*===?\s*["']\.\.["']`);
    for (const [index, line] of scope.entries()) if (check.test(line.text) && leaves(index)) return found(index);
  }
  return undefined;
}

/**
 * Sinks that contain the path themselves: Flask's `send_from_directory(directory, name)` joins with
 * werkzeug's `safe_join` and answers 404 for a name that leaves the directory; Express's
 * `res.sendFile(name, { root })` (and `res.download`) refuses a path that climbs out of `root` with
 * 403. Only when the directory or root is not itself taken from the request.
 */
export function containedByFramework(statement: string): { detail: string; code: string } | undefined {
  const fromRequest = /\b(?:request|req|ctx)\.(?:args|form|values|json|GET|POST|query|params|body|headers|cookies)\b/;
  const flask = /\bsend_from_directory\(\s*([^,]+),/.exec(statement);
  if (flask && !fromRequest.test(flask[1] ?? '')) {
    return { detail: `Flask's send_from_directory joins the name to \`${(flask[1] ?? '').trim()}\` with werkzeug's safe_join and answers 404 for any name that leaves it`, code: flask[0] };
  }
  const express = /\b(?:sendFile|download)\([\s\S]*?\{[^}]*\broot\s*:\s*([^,}]+)/.exec(statement);
  // A root of `/` contains nothing.
  if (express && !fromRequest.test(express[1] ?? '') && !/^\s*["'`]\/["'`]\s*$/.test(express[1] ?? '')) {
    return { detail: `Express's res.sendFile with a \`root\` option (\`${(express[1] ?? '').trim()}\`) refuses any path that climbs out of it (403)`, code: express[0].replace(/\s+/g, ' ').slice(0, 100) };
  }
  return undefined;
}
