/**
 * The Python function a decorator line belongs to, read through any other decorators stacked with
 * it (`@csrf_exempt` `@login_required` `@require_POST` `def quick_note(request):`), and its body.
 * A scanner often flags only the decorator's line; a rule judging the view must judge its body,
 * and when the body is not all in the lines read it decides nothing.
 */
import { indentOf } from './code-view';

export interface DecoratedFunction {
  /** Every decorator line from the first one to the `def`, as written. */
  decorators: string[];
  /** The `def` line (with its signature's continuation lines). */
  signature: string;
  /** The body's lines, as written. */
  body: string[];
}

const decoratorStart = /^\s*@[\w.]+/;
const definition = /^\s*(?:async\s+)?def\s+\w+\s*\(/;

/**
 * Reads from `lines[index]` (a decorator line) down to the function it decorates. Undefined when
 * something other than decorators comes first, when the lines end before the `def` or inside its
 * body, or when the body is cut (`…`). `complete` says whether the lines read run to the end of the
 * source (a SARIF snippet: the scanner's region), so a body ending at the last line is whole.
 */
export function decoratedFunction(lines: readonly string[], index: number, complete = false): DecoratedFunction | undefined {
  if (!decoratorStart.test(lines[index] ?? '')) return undefined;
  const decorators: string[] = [];
  let i = index;
  let depth = 0;
  // Decorators, with their arguments possibly over several lines.
  for (; i < lines.length; i += 1) {
    const text = lines[i] ?? '';
    if (depth === 0 && definition.test(text)) break;
    if (depth === 0 && !decoratorStart.test(text) && text.trim() !== '' && !text.trim().startsWith('#')) return undefined;
    decorators.push(text);
    depth += count(text, '([{') - count(text, ')]}');
  }
  if (i >= lines.length) return undefined;
  const defIndent = indentOf(lines[i] ?? '');
  // The signature runs to the line ending in `:` with its brackets closed.
  const signature: string[] = [];
  depth = 0;
  for (; i < lines.length; i += 1) {
    const text = lines[i] ?? '';
    signature.push(text);
    depth += count(text, '([{') - count(text, ')]}');
    if (depth <= 0 && /:\s*(?:#.*)?$/.test(text)) break;
  }
  if (i >= lines.length) return undefined;
  const body: string[] = [];
  for (i += 1; i < lines.length; i += 1) {
    const text = lines[i] ?? '';
    if (text.trim() === '') {
      body.push(text);
      continue;
    }
    if (indentOf(text) <= defIndent) break;
    body.push(text);
  }
  const ended = i < lines.length || complete;
  // A snippet cut short marks the cut with `…` (in the body or on the line that ends it).
  const cut = [...body, lines[i] ?? ''].some((l) => l.trim().startsWith('…'));
  if (!ended || cut || body.every((l) => l.trim() === '')) return undefined;
  return { decorators, signature: signature.join('\n'), body };
}

function count(text: string, chars: string): number {
  const code = text.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|#.*$/g, '');
  let n = 0;
  for (const ch of code) if (chars.includes(ch)) n += 1;
  return n;
}
