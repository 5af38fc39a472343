import { fileLine, scopeBefore, statement } from '../code-view';
import { requestData } from '../request-sources';
import { quote, ruleText, type AnalyzerInput, type DecisiveAnalyzer } from './types';

/**
 * Mass assignment: an object-injection finding where the KEY is one the request chose — the loop
 * walks the request body's own keys and writes each onto an object (`for (const [k, v] of
 * Object.entries(req.body)) order[k] = v`, `for key in request.POST: setattr(job, key, …)`), so the
 * client decides which fields change (`status=paid`, `is_admin=1`). That is the flaw the noisy
 * rule warns of, seen rather than suspected: decisive, ahead of the readers that set keys aside. Not when the loop checks the key against a
 * collection first (`if (!EDITABLE.includes(k)) continue`, `if key not in FIELDS:`): then the
 * allow-list decides, and another analyzer judges it.
 */
const rule = /object-injection|mass-assign|cwe-915\b|cwe-1321\b/;
const requestObject = new RegExp(String.raw`\b(?:req|request|ctx\.request|ctx)\.(?:body|query|params|POST|GET|args|form|values|json|data|get_json\(\))|${requestData.source}`);

const escapeName = (name: string): string => name.replace(/[$]/g, '\\$');

/** The loops over an object's keys, with the key's name and the object's text. */
function keyLoop(text: string): { key: string; object: string } | undefined {
  const forms: RegExp[] = [
    /\bfor\s*\(\s*(?:const|let|var)\s+\[\s*([A-Za-z_$][\w$]*)\s*,[^\]]*\]\s+of\s+Object\.entries\(\s*(.+?)\s*\)\s*\)/,
    /\bfor\s*\(\s*(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s+of\s+Object\.keys\(\s*(.+?)\s*\)\s*\)/,
    /\bfor\s*\(\s*(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s+in\s+(.+?)\s*\)/,
    /Object\.(?:keys|entries)\(\s*(.+?)\s*\)\.forEach\(\s*(?:function\s*)?\(?\s*\[?\s*([A-Za-z_$][\w$]*)/,
    /^\s*for\s+([A-Za-z_]\w*)\s*(?:,\s*\w+\s*)?\s+in\s+(.+?)(?:\.items\(\)|\.keys\(\))?\s*:/,
  ];
  for (const [i, form] of forms.entries()) {
    const m = form.exec(text);
    if (m) return i === 3 ? { key: m[2] ?? '', object: m[1] ?? '' } : { key: m[1] ?? '', object: m[2] ?? '' };
  }
  return undefined;
}

/** A field of `object` read in a condition of the file (`order.status !== 'pending'`, `if job.approved:`). */
function decidingField(lines: readonly string[], object: string): { field: string; text: string } | undefined {
  const read = new RegExp(String.raw`(?<![\w$.])${escapeName(object)}(?:\??\.|\[["'])([A-Za-z_$][\w$]*)`, 'g');
  for (const text of lines) {
    if (!/^\s*(?:if|elif|while|unless)\b|\bif\s*\(|[!=]==?|\s(?:and|or|not)\s|&&|\|\||\?\s/.test(text) || /^\s*(?:\/\/|#|\*)/.test(text)) continue;
    for (const m of text.matchAll(read)) {
      const field = m[1] ?? '';
      if (/^(?:save|update|get|set|toJSON|length|keys|entries|id|_id)$/.test(field)) continue;
      if (new RegExp(String.raw`${escapeName(object)}\??\.${escapeName(field)}\s*(?:[!=]==?|<=?|>=?|\)|:|\s+(?:is|in|not|and|or)\b|$|&&|\|\||\?)`).test(text)) return { field, text: text.trim() };
    }
  }
  return undefined;
}

export const requestChosenKey: DecisiveAnalyzer = (input: AnalyzerInput) => {
  const { view, finding } = input;
  if (!view || !rule.test(`${ruleText(finding)} ${(finding.weaknesses ?? []).join(' ')}`)) return undefined;
  const here = statement(view);
  const written = /\[\s*([A-Za-z_$][\w$]*)\s*\]\s*=(?!=)/.exec(here)?.[1] ?? /\bsetattr\(\s*[\w.]+\s*,\s*([A-Za-z_]\w*)\s*,/.exec(here)?.[1];
  if (!written) return undefined;
  const scope = scopeBefore(view);
  for (let i = scope.length - 1; i >= 0; i -= 1) {
    const loop = keyLoop(scope[i]?.text ?? '');
    if (!loop || loop.key !== written) continue;
    // The object is the request's, directly or through a variable assigned from it.
    let source = requestObject.exec(loop.object)?.[0];
    if (!source && /^[A-Za-z_$][\w$]*$/.test(loop.object)) {
      const assigned = new RegExp(String.raw`^\s*(?:(?:const|let|var)\s+)?${escapeName(loop.object)}\s*(?::[^=]+)?=(?!=)\s*(?:await\s+)?(.+)$`);
      const origin = [...scope.slice(0, i)].reverse().map((l) => assigned.exec(l.text)?.[1]).find(Boolean);
      if (origin && requestObject.exec(origin)?.index === 0) source = `${loop.object} = ${origin.trim().slice(0, 40)}`;
    }
    if (!source) return undefined;
    // A membership check on the key between the loop and the write: an allow-list (or deny-list) decides, not this.
    const key = escapeName(written);
    const checked = scope.slice(i + 1).some(({ text }) => new RegExp(String.raw`\.(?:includes|has|indexOf|contains)\(\s*${key}\s*\)|\b${key}\s+(?:not\s+)?in\s+[A-Za-z_(\[{]|\b${key}\.(?:startsWith|startswith|match)\(|\.test\(\s*${key}\s*\)`).test(text));
    if (checked) return undefined;
    // The object holds a field the code itself decides on (`if (!order || order.status !== 'pending')`):
    // the client can overwrite what the route relies on. An object none of whose fields decides
    // anything here may be one every field of which the user may edit; the prototype question is
    // then another analyzer's (`framework-guarantees.ts`).
    const object = /([A-Za-z_$][\w$]*)\s*(?:as\s+[^)]*)?\)?\s*\[\s*[A-Za-z_$][\w$]*\s*\]\s*=(?!=)/.exec(here)?.[1] ?? /\bsetattr\(\s*([\w]+)\s*,/.exec(here)?.[1] ?? '';
    const decided = object ? decidingField(view.lines, object) : undefined;
    if (!decided) return undefined;
    const line = fileLine(view, view.flagged);
    const loopText = quote(scope[i]?.text ?? '', 80);
    return {
      verdict: 'true_positive',
      base: 85,
      factor: { id: 'request-chosen-key', weight: 0, detail: `The key \`${written}\` written at line ${line} is each key of the request's own data (line ${scope[i]?.line}: \`${loopText}\`, from \`${source}\`), with no allow-list of fields, while the code decides on \`${decided.field}\` (\`${quote(decided.text, 70)}\`).` },
      justification: `Mass assignment at ${input.where}: \`${quote(here, 70)}\` writes every field the request sends (line ${scope[i]?.line}: \`${loopText}\`), with no allow-list of fields, so the client chooses which properties of the object change — among them \`${decided.field}\`, which the code decides on (\`${quote(decided.text, 70)}\`).`,
    };
  }
  return undefined;
};
