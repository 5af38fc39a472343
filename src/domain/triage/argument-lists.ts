import type { NumberedLine } from './code-view';
import { isLiteral, topLevelArguments } from './expressions';
import { escape } from './guards';

/**
 * A program run with an argument list and no shell (`subprocess.run([BIN, "--quiet", src, out])`):
 * no element is parsed by a shell, so an element can only change what runs by being an option of the
 * program. value-flow.ts asks this reader about each element it cannot account for otherwise: a temp
 * file the system names (`NamedTemporaryFile().name`, a file in a `TemporaryDirectory`), or a path
 * under a constant absolute folder whose later parts start with literal text and hold only numbers
 * or record ids (`os.path.join(RECEIPT_DIR, f"receipt-{job.id}.pdf")`). Both start with `/`: never
 * an option, always one argument. Anything from the request stays unknown.
 */

export interface ArgumentReason { element: string; line?: number; code: string; how: string }

/** The elements of a Python list (or JS array) literal passed as the program's arguments, when no shell is asked for. */
export function argumentList(expression: string, statement: string): string[] | undefined {
  const text = expression.trim();
  if (!text.startsWith('[') || !text.endsWith(']')) return undefined;
  if (/\bshell\s*=\s*True\b|\bshell\s*:\s*true\b/.test(statement)) return undefined;
  return topLevelArguments(text.slice(1, -1));
}

/** Roots that hold what the caller sent, whatever the framework calls them. */
const requestRoot = /^(?:req|request|params|query|body|form|args|data|payload|input|ctx|event|json)$/i;

/** The last assignment of `name` in the function, if any. */
function assignment(name: string, scope: readonly NumberedLine[]): { line: number; text: string; value: string } | undefined {
  const pattern = new RegExp(String.raw`^\s*(?:(?:const|let|var)\s+)?${escape(name)}\s*(?::[^=]+)?=(?!=)\s*(.+?);?\s*$`);
  for (let i = scope.length - 1; i >= 0; i -= 1) {
    const m = pattern.exec(scope[i]?.text ?? '');
    if (m) return { line: scope[i]?.line ?? 0, text: (scope[i]?.text ?? '').trim(), value: m[1] ?? '' };
  }
  return undefined;
}

/** `with tempfile.NamedTemporaryFile(…) as fh` / `fh = NamedTemporaryFile(…)` (literal arguments only). */
function tempBinding(name: string, scope: readonly NumberedLine[], kind: 'file' | 'dir'): NumberedLine | undefined {
  const maker = kind === 'file' ? String.raw`(?:tempfile\.)?NamedTemporaryFile` : String.raw`(?:tempfile\.)?TemporaryDirectory`;
  const bound = new RegExp(String.raw`^\s*(?:with\s+${maker}\(([^()]*)\)\s+as\s+${escape(name)}\s*:|${escape(name)}\s*=\s*${maker}\(([^()]*)\)\s*$)`);
  return scope.find((l) => {
    const m = bound.exec(l.text);
    if (!m) return false;
    const args = topLevelArguments(m[1] ?? m[2] ?? '').map((a) => a.replace(/^\w+\s*=\s*/, ''));
    return args.every((a) => isLiteral(a) || /^(?:True|False|None)$/.test(a));
  });
}

/** An absolute folder the module fixes: `RECEIPT_DIR = "/tmp/spokes-receipts"` at its top level, or a system temp folder. */
function constantFolder(base: string, scope: readonly NumberedLine[], module: readonly string[]): string | undefined {
  const name = base.trim().replace(/^(?:Path|str|String)\((.+)\)$/, '$1').trim();
  if (tempBinding(name, scope, 'dir')) return `a temporary folder the system makes (\`${name}\`)`;
  if (/^(?:tempfile\.gettempdir|os\.tmpdir|tmpdir)\(\s*\)$/.test(name)) return 'the system temp folder';
  if (!/^[A-Za-z_$][\w$]*$/.test(name) || assignment(name, scope)) return undefined;
  const top = module.map((l) => new RegExp(String.raw`^(?:(?:export\s+)?(?:const|let|var)\s+)?${escape(name)}\s*(?::[^=]+)?=\s*(["'])(\/[^"'\n]*)\1\s*;?\s*$`).exec(l)).filter(Boolean);
  return top.length === 1 ? `the constant folder \`${top[0]?.[2]}\`` : undefined;
}

/** A later part of a path: literal text first, then only numbers and record ids (`f"receipt-{job.id}.pdf"`, `` `${id}.pdf` `` not). */
function fixedPart(part: string, scope: readonly NumberedLine[]): boolean {
  const text = part.trim();
  if (/^(["'])[^"'\n]*\1$/.test(text)) return !/^["'][-/]/.test(text) && !/\.\./.test(text);
  const body = /^[fF](["'])(.*)\1$/.exec(text)?.[2] ?? /^`(.*)`$/.exec(text)?.[1];
  if (body === undefined || /^[{$/-]/.test(body) || body.includes('..')) return false;
  const holes = [...body.matchAll(/\$?\{([^}]*)\}/g)].map((m) => (m[1] ?? '').trim());
  return holes.every((hole) => {
    if (/^\d+$/.test(hole)) return true;
    const id = /^([A-Za-z_$][\w$]*)\.(?:id|pk)$/.exec(hole);
    if (!id || requestRoot.test(id[1] ?? '')) return false;
    // The record is not read from the request in the function (`job = request.json`).
    const set = assignment(id[1] ?? '', scope);
    return !set || !/\b(?:req|request)\b|\.(?:body|params|query|form|json|args)\b/.test(set.value);
  });
}

/** A path under a constant folder: `os.path.join(DIR, f"x-{job.id}.pdf")`, `Path(tmp) / "ticket.html"`, `path.join(DIR, 'a.txt')`. */
function folderPath(value: string, scope: readonly NumberedLine[], module: readonly string[]): string | undefined {
  const text = value.trim().replace(/^(?:str|String|os\.fspath)\((.+)\)$/, '$1').trim();
  const joined = /^(?:os\.path\.join|path\.join|posixpath\.join)\(([\s\S]+)\)$/.exec(text);
  const parts = joined ? topLevelArguments(joined[1] ?? '') : text.split(/\s+\/\s+/);
  if (parts.length < 2) return undefined;
  const folder = constantFolder(parts[0] ?? '', scope, module);
  return folder && parts.slice(1).every((p) => fixedPart(p, scope)) ? folder : undefined;
}

/** Why one element of the argument list is made by the server, not the caller, or undefined. */
export function serverMadeArgument(element: string, scope: readonly NumberedLine[], module: readonly string[]): ArgumentReason | undefined {
  const text = element.trim().replace(/^(?:str|String|os\.fspath)\((.+)\)$/, '$1').trim();
  const direct = folderPath(text, scope, module);
  if (direct) return { element, code: text, how: `a path under ${direct}, with literal names and record ids only: it starts with \`/\`, so it is never an option` };
  if (!/^[A-Za-z_$][\w$]*$/.test(text)) return undefined;
  const set = assignment(text, scope);
  if (!set) return undefined;
  const temp = /^([A-Za-z_$][\w$]*)\.name$/.exec(set.value.trim());
  if (temp && tempBinding(temp[1] ?? '', scope, 'file')) return { element, line: set.line, code: set.text, how: 'the name of a temporary file the system makes (an absolute path, never an option)' };
  const under = folderPath(set.value, scope, module);
  if (under) return { element, line: set.line, code: set.text, how: `a path under ${under}, with literal names and record ids only: it starts with \`/\`, so it is never an option` };
  return undefined;
}

/** The argument list with the elements the server makes taken out (each with its reason); the expression itself otherwise. */
export function accountArguments(expression: string, statement: string, scope: readonly NumberedLine[], module: readonly string[]): { rest: string; reasons: ArgumentReason[] } {
  const elements = argumentList(expression, statement);
  if (!elements) return { rest: expression, reasons: [] };
  const reasons: ArgumentReason[] = [];
  const left = elements.filter((element) => {
    const made = isLiteral(element) ? undefined : serverMadeArgument(element, scope, module);
    if (made) reasons.push(made);
    return !made;
  });
  return { rest: `[${left.join(', ')}]`, reasons };
}
