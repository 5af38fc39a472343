import { enclosingFunction, fileLine, type CodeView, type NumberedLine } from './code-view';
import { topLevelArguments } from './expressions';
import { moduleReader } from './module-imports';

/**
 * Where a compared value comes from when it is not assigned straight from the request or a MAC
 * call — the shapes a webhook check takes: the signature parsed out of a header the enclosing
 * helper was given (`parts = Object.fromEntries(header.split(',')…)`, `signature = parts.v1`, with
 * `verify(req.body, req.get('stripe-signature'))` its caller in the file), and the expected value
 * computed by a local helper whose body computes an HMAC under a key of its own (`expected =
 * sign(body)`, `function-summaries.ts`). Line-based and one file: what it cannot read, it does not
 * claim.
 */
export interface Traced {
  request?: string;
  computed?: string;
}

const MAX_HOPS = 4;
const escapeName = (name: string): string => name.replace(/[$]/g, '\\$');

function assignment(name: string, scope: readonly NumberedLine[]): NumberedLine | undefined {
  const assigned = new RegExp(String.raw`^\s*(?:(?:const|let|var|final|String)\s+)?${escapeName(name)}\s*(?::[^=]+)?=(?!=)\s*(.+)$`);
  return [...scope].reverse().find(({ text }) => assigned.test(text));
}

/** The enclosing function's name and parameters, when its header shows them. */
function enclosingSignature(view: CodeView): { name: string; params: string[]; line: number } | undefined {
  const header = enclosingFunction(view);
  if (header === undefined) return undefined;
  const text = view.lines[header] ?? '';
  const m = /\b(?:def|function)\s+([\w$]+)\s*\(([^)]*)\)/.exec(text) ?? /(?:const|let|var)\s+([\w$]+)\s*=\s*(?:async\s*)?(?:function\s*)?\(([^)]*)\)/.exec(text);
  if (!m) return undefined;
  const params = topLevelArguments(m[2] ?? '').map((p) => /^(?:\.\.\.)?([A-Za-z_$][\w$]*)/.exec(p.trim())?.[1] ?? '');
  return { name: m[1] ?? '', params, line: fileLine(view, header) };
}

/** `verify(req.body, req.get('stripe-signature'))`: the argument every call of the helper in the file passes at `index`, when each is request data. */
function callerArgument(view: CodeView, fn: { name: string; line: number }, index: number, requestValue: RegExp): string | undefined {
  const call = new RegExp(String.raw`(?<![\w$.])${escapeName(fn.name)}\s*\(`);
  const found: string[] = [];
  for (const [i, text] of view.lines.entries()) {
    const at = text.search(call);
    if (at < 0 || fileLine(view, i) === fn.line || /\b(?:def|function)\s/.test(text)) continue;
    const open = text.indexOf('(', at);
    let depth = 0;
    let end = open;
    for (; end < text.length; end += 1) {
      if (text[end] === '(') depth += 1;
      else if (text[end] === ')' && (depth -= 1) === 0) break;
    }
    const argument = topLevelArguments(text.slice(open + 1, end))[index] ?? '';
    if (!requestValue.test(argument)) return undefined;
    found.push(`line ${fileLine(view, i)}: \`${text.trim().slice(0, 80)}\``);
  }
  return found.length > 0 ? `\`${fn.name}\` is called with the request's value (${found.join('; ')})` : undefined;
}

/** A call in `value` of a local (or imported) helper whose body computes an HMAC under a key of its own (`sign(req.body)`). */
export function macHelperIn(value: string, view: CodeView, path: string, modules?: ReadonlyMap<string, readonly string[]>): string | undefined {
  const helpers = moduleReader(path, view.lines, view.startLine, modules).helper;
  const helper = [...value.matchAll(/(?<![\w$.])((?:self\.|this\.)?[A-Za-z_$][\w$]*)\s*\(/g)].map((m) => m[1] ?? '').find((callee) => helpers(callee)?.mac);
  return helper ? `whose helper \`${helper}\` computes an HMAC under a key of its own (${helpers(helper)?.where})` : undefined;
}

/**
 * Follows `side` back through the assignments of the function (at most four steps), to a request
 * value (also through a parameter of the enclosing helper that its callers fill from the request),
 * or to a MAC computed in place or by a local helper. Every name on the way must lead to one kind only.
 */
export function traceCompared(side: string, view: CodeView, scope: readonly NumberedLine[], requestValue: RegExp, computed: RegExp, path: string, modules?: ReadonlyMap<string, readonly string[]>): Traced {
  const helpers = moduleReader(path, view.lines, view.startLine, modules).helper;
  const signature = enclosingSignature(view);
  const seen = new Set<string>();
  let frontier = [side];
  for (let hop = 0; hop < MAX_HOPS && frontier.length > 0; hop += 1) {
    const next: string[] = [];
    for (const expression of frontier) {
      const root = /^([A-Za-z_$][\w$]*)/.exec(expression)?.[1] ?? '';
      if (!root || seen.has(root)) continue;
      seen.add(root);
      const macCall = [...expression.matchAll(/(?<![\w$.])((?:self\.|this\.)?[A-Za-z_$][\w$]*)\s*\(/g)].map((m) => m[1] ?? '').find((callee) => helpers(callee)?.mac);
      if (macCall) return { computed: `\`${expression.slice(0, 60)}\`, whose helper \`${macCall}\` computes an HMAC under a key of its own (${helpers(macCall)?.where})` };
      const parameter = signature?.params.indexOf(root) ?? -1;
      if (signature && parameter >= 0) {
        const from = callerArgument(view, signature, parameter, requestValue);
        if (from) return { request: `\`${root}\` is a parameter of \`${signature.name}\` (line ${signature.line}); ${from}` };
        continue;
      }
      const origin = assignment(root, scope);
      if (!origin) continue;
      const value = /=(?!=)\s*(.+)$/.exec(origin.text)?.[1] ?? '';
      const code = `line ${origin.line}: \`${origin.text.trim().slice(0, 80)}\``;
      if (requestValue.test(value)) return { request: code };
      if (computed.test(value)) return { computed: code };
      const helper = [...value.matchAll(/(?<![\w$.])((?:self\.|this\.)?[A-Za-z_$][\w$]*)\s*\(/g)].map((m) => m[1] ?? '').find((callee) => helpers(callee)?.mac);
      if (helper) return { computed: `${code}, whose helper \`${helper}\` computes an HMAC under a key of its own (${helpers(helper)?.where})` };
      // The names the value is built from (`parts.v1` → `parts`; `Object.fromEntries(header.split(','))` → `header`).
      const names = [...value.replace(/(["'`])(?:(?!\1)[^\\]|\\.)*\1/g, '').matchAll(/(?<![\w$.])([A-Za-z_$][\w$]*)(?![\w$]*\s*\()/g)].map((m) => m[1] ?? '')
        .filter((n) => !/^(?:const|let|var|await|new|as|string|number|true|false|null|undefined|None|kv|Object|Buffer|JSON|Math)$/.test(n));
      next.push(...names);
    }
    frontier = next;
  }
  return {};
}
