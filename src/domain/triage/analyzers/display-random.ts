import { enclosingFunction, fileLine, indentOf, statement, type CodeView } from '../code-view';
import { words } from './value-use';
import { quote, ruleText, type DecisiveAnalyzer } from './types';

/**
 * A `Math.random()` value used only to tell elements on screen apart: a React `key`, an element
 * `id`, the id of a toast kept in component state and compared to remove it again
 * (`const id = Math.random().toString(36).slice(2)`, `setToasts((all) => [...all, { id, text }])`,
 * `all.filter((t) => t.id !== id)`, `<li key={t.id}>`). Read from every use: of the variable in its
 * function and of the field it is stored under anywhere in the file. One use that sends, stores,
 * links or names a credential (`fetch`, `JSON.stringify`, `localStorage`, a cookie, an `href`,
 * token/invite/session/…) keeps the finding.
 */
const randomRule = /random|cwe-330\b|cwe-338\b/;
const credential = /\b(?:tokens?|secrets?|passw\w*|otp|nonce|salt|sessions?|api ?keys?|invites?|reset|verif\w*|credentials?|auth\w*|csrf|codes?|coupons?|vouchers?)\b/i;
const leaves = /\bfetch\(|axios|\.post\(|\.put\(|JSON\.stringify|localStorage|sessionStorage|document\.cookie|cookies?\.|href|src=|\burl\b|URLSearchParams|\bbody\s*:|navigator\.|postMessage|send\(|emit\(/i;

const escapeName = (name: string): string => name.replace(/[$]/g, '\\$');

/** A use that only identifies an element: a JSX `key`/`id`/`htmlFor`/`aria-*` attribute, an equality test, or a state setter keeping it in an object. */
function identifyingUse(text: string, value: string): boolean {
  const v = escapeName(value);
  if (new RegExp(String.raw`\b(?:key|id|htmlFor|aria-[\w-]+)=\{\s*${v}\s*\}`).test(text)) return true;
  if (new RegExp(String.raw`(?:[!=]==?\s*${v}(?![\w$.])|(?<![\w$.])${v}\s*[!=]==?)`).test(text) && /\.(?:filter|find|findIndex|some|every)\(|\bif\s*\(/.test(text)) return true;
  return new RegExp(String.raw`\bset[A-Z][\w$]*\(`).test(text) && new RegExp(String.raw`\{[^}]*(?<![\w$.])${v}(?![\w$])[^}]*\}`).test(text);
}

/**
 * `el.id = \`toast-${Math.random()…}\``, `row.dataset.tmpId = Math.random()…`: the random value is
 * written straight onto an element the function created (`document.createElement`) as its `id` or a
 * `data-` attribute. Every other read of that attribute in the file must only find or compare
 * elements; one that sends, stores or links it, or a credential word, keeps the finding.
 */
function elementAttributeRandom(view: CodeView, text: string): { name: string; attribute: string } | undefined {
  const m = /^\s*([A-Za-z_$][\w$]*)\.(id|dataset\.[A-Za-z_$][\w$]*)\s*=\s*(?:`[^`]*\$\{\s*)?(?:String\()?\s*Math\.random\(\)/.exec(text)
    ?? /^\s*([A-Za-z_$][\w$]*)\.setAttribute\(\s*["'](id|data-[\w-]+)["']\s*,\s*(?:`[^`]*\$\{\s*)?(?:String\()?\s*Math\.random\(\)/.exec(text);
  if (!m || credential.test(words(text)) || leaves.test(text)) return undefined;
  const [name = '', attribute = ''] = [m[1], m[2]];
  const created = new RegExp(String.raw`(?:const|let|var)\s+${escapeName(name)}\s*=\s*document\.createElement\(`);
  if (!view.lines.slice(0, view.flagged).some((line) => created.test(line))) return undefined;
  // The attribute's other reads: `.dataset.tmpId`, `data-tmp-id`, or `.id` of the element itself.
  const field = attribute.startsWith('data') ? attribute.replace(/^dataset\./, '').replace(/^data-/, '') : '';
  const dashed = field.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
  const reads = field
    ? new RegExp(String.raw`\.dataset\.${escapeName(field.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()))}\b|data-${dashed}\b`)
    : new RegExp(String.raw`(?<![\w$.])${escapeName(name)}\.id\b`);
  for (let i = 0; i < view.lines.length; i += 1) {
    if (i >= view.flagged && i <= view.flaggedEnd) continue;
    const line = view.lines[i] ?? '';
    if (reads.test(line) && (leaves.test(line) || credential.test(words(line)))) return undefined;
  }
  return { name, attribute };
}

export const displayOnlyRandom: DecisiveAnalyzer = (input) => {
  const { view, finding } = input;
  if (!view || !randomRule.test(ruleText(finding))) return undefined;
  const onElement = elementAttributeRandom(view, statement(view));
  if (onElement) {
    const target = `${onElement.name}.${onElement.attribute}`;
    return {
      verdict: 'false_positive',
      category: 'not_security',
      base: 80,
      factor: { id: 'not-security-display-id', weight: 0, detail: `At ${input.where} the random value is written as \`${target}\` of an element the code creates with \`document.createElement\`; no read of it in the file sends, stores or links it.` },
      justification: `No security impact at ${input.where}: the random value only names an element on the page (\`${target}\`, an element made by \`document.createElement\`), and nothing in the file sends, stores, links it or names it as a credential.`,
    };
  }
  // Only in a file that renders elements (JSX closing tags or self-closing elements).
  if (!view.lines.some((line) => /<\/[A-Za-z]|\/>|className=/.test(line))) return undefined;
  const text = statement(view);
  const m = /^\s*(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:String\()?\s*Math\.random\(\)/.exec(text);
  if (!m || credential.test(words(text))) return undefined;
  const name = m[1] ?? '';
  const header = enclosingFunction(view);
  const floor = header === undefined ? -1 : indentOf(view.lines[header] ?? '');
  const read = new RegExp(String.raw`(?<![\w$.])${escapeName(name)}(?![\w$])`);
  const uses: { line: number; text: string }[] = [];
  for (let i = view.flaggedEnd + 1; i < view.lines.length; i += 1) {
    const line = view.lines[i] ?? '';
    if (line.trim() === '') continue;
    if (header !== undefined && indentOf(line) <= floor) break;
    if (read.test(line)) uses.push({ line: fileLine(view, i), text: line });
  }
  if (uses.length === 0 || uses.some((u) => leaves.test(u.text) || credential.test(words(u.text)) || !identifyingUse(u.text, name))) return undefined;
  // Stored in state as a field (`{ id, text }`, `{ key: id }`): every read of that field in the file identifies an element too.
  const fields = new Set(uses.flatMap((u) => [...u.text.matchAll(new RegExp(String.raw`\{[^}]*?(?:([\w$]+)\s*:\s*)?(?<![\w$.])${escapeName(name)}(?![\w$])`, 'g'))].map((f) => f[1] ?? name)));
  for (const field of fields) {
    const reads = view.lines.map((line, i) => ({ line: fileLine(view, i), text: line })).filter((l) => new RegExp(String.raw`\.${escapeName(field)}(?![\w$])`).test(l.text));
    const bad = reads.find((r) => leaves.test(r.text) || !new RegExp(String.raw`\b(?:key|id|htmlFor|aria-[\w-]+)=\{\s*[\w$]+\.${escapeName(field)}\s*\}|\.${escapeName(field)}\s*[!=]==?|[!=]==?\s*[\w$]+\.${escapeName(field)}(?![\w$])`).test(r.text));
    if (bad) return undefined;
  }
  const first = uses[0]!;
  return {
    verdict: 'false_positive',
    category: 'not_security',
    base: 82,
    factor: { id: 'not-security-display-id', weight: 0, detail: `At ${input.where} \`${name}\` only tells elements on screen apart: line ${first.line} \`${quote(first.text, 70)}\`${uses.length > 1 ? ` and ${uses.length - 1} more use${uses.length > 2 ? 's' : ''} alike` : ''}; it is never sent, stored or linked.` },
    justification: `No security impact at ${input.where}: the random value \`${name}\` only identifies an element on screen (a React key, an element id, the id a list item is removed by; line ${first.line}: \`${quote(first.text, 70)}\`), and it is never sent, stored, put in a link or named as a credential.`,
  };
};
