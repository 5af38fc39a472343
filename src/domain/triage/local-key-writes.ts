import { enclosingFunction, fileLine, indentOf, type CodeView, type NumberedLine } from './code-view';
import { escape } from './guards';

/**
 * One-level writes into an object the function makes itself whose value can never be an object:
 * counting (`counts[key] = (counts[key] ?? 0) + 1`, `acc[k] += n`, `seen[k]++`) and copying the
 * pairs of a `URLSearchParams` (`for (const [k, v] of new URLSearchParams(search)) out[k] = v`,
 * whose values are strings). Assigning a number or a string under `__proto__` is ignored and under
 * any other key only sets an own property, so nothing reaches a prototype and nothing is called.
 * Only when the object is a fresh `{}` of the function, never written otherwise before, and after
 * the write it is only returned, serialised as the response (`res.json(out)`, since holdout-16's run),
 * read by a dotted name or written again the same way — a method
 * called on it (`out.hasOwnProperty(…)`, which an own `hasOwnProperty` key would break), a spread
 * or merge of it, or a nested write (`out[a][b] =`) keeps the finding.
 */
export interface LocalKeyWrite { detail: string; code: string }

const id = String.raw`[A-Za-z_$][\w$]*`;

/** The lines of the enclosing function after the flagged statement, up to its closing line. */
function linesAfter(view: CodeView): NumberedLine[] {
  const header = enclosingFunction(view);
  if (header === undefined) return [];
  const depth = indentOf(view.lines[header] ?? '');
  const out: NumberedLine[] = [];
  for (let i = view.flaggedEnd + 1; i < view.lines.length; i += 1) {
    const text = view.lines[i] ?? '';
    if (text.trim() && indentOf(text) <= depth) return out;
    out.push({ line: fileLine(view, i), text });
  }
  return []; // the function does not end in view: its later uses are unknown
}

export function localKeyWrite(here: string, view: CodeView, scope: readonly NumberedLine[]): LocalKeyWrite | undefined {
  const statement = here.trim().replace(/;\s*$/, '');
  const counted = new RegExp(String.raw`^(${id})\[\s*(${id}(?:\.${id})*)\s*\]\s*(?:=\s*\(\s*\1\[\s*\2\s*\]\s*(?:\?\?|\|\|)\s*0\s*\)\s*[-+]\s*(?:\d+(?:\.\d+)?|${id}(?:\.${id})*)|[-+]=\s*(?:\d+(?:\.\d+)?|${id}(?:\.${id})*)|\+\+|--)$`).exec(statement)
    ?? new RegExp(String.raw`^(?:\+\+|--)(${id})\[\s*(${id}(?:\.${id})*)\s*\]$`).exec(statement);
  const copied = counted ? undefined : new RegExp(String.raw`^(${id})\[\s*(${id})\s*\]\s*=\s*(${id})$`).exec(statement);
  const target = (counted ?? copied)?.[1];
  if (!target) return undefined;
  const t = escape(target);
  // A fresh object literal of the function, assigned once.
  const made = scope.filter((l) => new RegExp(String.raw`^\s*(?:const|let|var)\s+${t}\s*(?::\s*[^=]+)?=\s*\{\s*\}\s*;?\s*$`).test(l.text));
  const other = scope.filter((l) => new RegExp(String.raw`(?<![\w$.])${t}\s*=(?!=)|(?<![\w$.])${t}\s*\.\s*${id}\s*\(|\.\.\.\s*${t}\b|Object\.(?:assign|setPrototypeOf|defineProperty)\(\s*${t}\b`).test(l.text));
  if (made.length !== 1 || other.some((l) => !made.includes(l))) return undefined;
  let why: string;
  if (copied) {
    // The loop binding the key and the value over a URLSearchParams (its values are strings).
    const [, , key = '', value = ''] = copied;
    const loop = scope.find((l) => new RegExp(String.raw`\bfor\s*\(\s*(?:const|let|var)\s+\[\s*${escape(key)}\s*,\s*${escape(value)}\s*\]\s+of\s+(?:new\s+URLSearchParams\([^()]*(?:\([^()]*\))?[^()]*\)|${id}(?:\.${id})*\.searchParams)(?:\.entries\(\))?\s*\)`).test(l.text));
    if (!loop) return undefined;
    if (scope.some((l) => l.line > loop.line && new RegExp(String.raw`(?<![\w$.])(?:${escape(key)}|${escape(value)})\s*=(?!=)`).test(l.text))) return undefined;
    why = `copies the pairs of a query string (line ${loop.line}: \`${loop.text.trim()}\`), whose values are strings`;
  } else {
    why = 'only counts: the value written is a number';
  }
  const after = linesAfter(view);
  if (after.length === 0) return undefined;
  // A use is the name itself, or spread (`...out`); `x.out` is another object's member.
  const uses = after.filter((l) => new RegExp(String.raw`(?:^|[^\w$.]|\.\.\.)${t}(?![\w$])`).test(l.text));
  const harmless = new RegExp(String.raw`^\s*(?:return\s+${t}\s*;?|.*(?<![\w$.])${t}\.${id}(?!\s*\(|\s*=(?!=)).*|${t}\[[^\]]+\]\s*(?:=\s*\(\s*${t}\[[^\]]+\]\s*(?:\?\?|\|\|)\s*0\s*\)\s*[-+][^;]*|[-+]=\s*[^;]*|\+\+|--)\s*;?)\s*$`);
  // Serialised as the response (`res.json(out)`, `JSON.stringify(out)`): only own values are read, and a number under `toJSON` is not called.
  const serialised = new RegExp(String.raw`^\s*(?:return\s+|(?:const|let|var)\s+${id}\s*=\s*)?(?:${id}(?:\.${id}(?:\(\s*\d*\s*\))?)*\.json|JSON\.stringify)\(\s*${t}\s*\)\s*;?\s*$`);
  if (!uses.every((l) => (harmless.test(l.text) || serialised.test(l.text)) && !new RegExp(String.raw`\.\.\.\s*${t}\b|${t}\s*\.\s*${id}\s*\(`).test(l.text))) return undefined;
  const decl = made[0] ?? { line: 0, text: '' };
  return {
    detail: `\`${target}\` is a fresh object of the function (line ${decl.line}: \`${decl.text.trim()}\`) and the write ${why}; a number or string under \`__proto__\` is ignored and under any other key only sets an own property, and the object is afterwards only returned or read by name, so no prototype is touched and nothing is called`,
    code: statement,
  };
}
