import type { AnalyzerInput } from './types';
import type { Defuser } from './defusers';
import { insideBrackets } from '../brackets';
import { topLevelArguments } from '../expressions';

/**
 * A Jinja template printing a variable with `|safe` (`{{ announcement_html|safe }}`) where every
 * Flask `render_template("home.html", …)` in the files read passes that name a sanitiser's output:
 * `bleach.clean(…)` or `nh3.clean(…)` in the call, or a local of the view assigned only that or a
 * string literal before the call. The finding is in the template; the value is in the views.
 * Conservative: no render call found, a call spreading a context (`**ctx`), another way of naming
 * the template (`render(request, "home.html", …)`, an `{% include %}` of it), a sanitiser allowed
 * script, style or frames, or any other assignment of the local decides nothing.
 */
const sanitiser = /^(?:bleach\.clean|nh3\.clean)\(([\s\S]*)\)$/;
const weakening = /["'](?:script|style|iframe|object|embed|form|svg|math)["']|javascript|data:|\bon[a-z]+\b|strip_comments\s*=\s*False/i;
const literal = /^(?:"[^"\\]*"|'[^'\\]*'|None)$/;

/** The text of the call opening at `open` (the index of its `(`), up to its matching `)`. */
const callAt = insideBrackets;

/** A sanitiser's output (its options, and the module constants they name, letting no script through) or a literal. */
function safeValue(value: string, module: readonly string[]): boolean {
  const m = sanitiser.exec(value.trim());
  if (!m) return literal.test(value.trim());
  const options = m[1] ?? '';
  const constants = [...options.matchAll(/(?<![\w.])([A-Z][A-Z0-9_]{2,})(?![\w(])/g)].map((c) => c[1] ?? '');
  const definitions = constants.map((c) => module.find((l) => new RegExp(String.raw`^${c}\s*=\s*[[({]`).test(l)));
  if (definitions.some((d) => d === undefined || !/[\])}]\s*(?:#.*)?$/.test(d))) return false;
  return !weakening.test([options, ...definitions].join('\n'));
}

function sanitisedEverywhere({ view, finding, repository }: AnalyzerInput): string | undefined {
  if (!view || !finding.location || !repository?.modules) return undefined;
  const name = /\{\{\s*([A-Za-z_]\w*)\s*\|\s*safe\s*\}\}/.exec(view.lines[view.flagged] ?? '')?.[1];
  const template = /(?:^|\/)templates\/(.+\.(?:html|jinja2?|j2|txt))$/.exec(finding.location.path)?.[1];
  if (!name || !template) return undefined;
  const quoted = template.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const found: string[] = [];
  for (const [path, lines] of repository.modules) {
    const text = lines.join('\n');
    const mentions = [...text.matchAll(new RegExp(String.raw`["'](?:\./)?${quoted}["']`, 'g'))];
    for (const mention of mentions) {
      const before = text.slice(0, mention.index);
      const call = /\brender_template\(\s*$/.exec(before);
      if (!call) return undefined; // named another way (an include, Django's render, a constant): not read
      const args = callAt(text, before.lastIndexOf('('));
      if (args === undefined || /\*\*/.test(args)) return undefined;
      const passed = topLevelArguments(args).map((a) => new RegExp(String.raw`^${name}\s*=(?!=)\s*([\s\S]+)$`).exec(a)?.[1]?.trim()).find((v) => v !== undefined);
      const line = before.split('\n').length;
      if (passed === undefined) {
        found.push(`${path}:${line} passes no \`${name}\``);
        continue;
      }
      if (safeValue(passed, lines)) {
        found.push(`${path}:${line} passes \`${passed.slice(0, 60)}\``);
        continue;
      }
      if (!/^[A-Za-z_]\w*$/.test(passed)) return undefined;
      // The view's local: every assignment above the call, back to its `def`, a sanitiser's output or a literal.
      const above = before.split('\n');
      const def = above.map((l) => /^\s*(?:async\s+)?def\s/.test(l)).lastIndexOf(true);
      if (def < 0) return undefined;
      const assignments = above.slice(def).filter((l) => new RegExp(String.raw`(?<![\w.])${passed}\s*(?::[^=]+)?(?:=|\+=)(?!=)|\bfor\s+.*\b${passed}\b.*\bin\b|\bas\s+${passed}\b`).test(l));
      const values = assignments.map((l) => new RegExp(String.raw`^\s*${passed}\s*=(?!=)\s*(.+)$`).exec(l)?.[1]);
      if (values.length === 0 || values.some((v) => v === undefined || !safeValue(v, lines))) return undefined;
      found.push(`${path}:${line} passes \`${passed}\`, assigned only ${values.map((v) => `\`${(v ?? '').trim().slice(0, 60)}\``).join(' or ')}`);
    }
  }
  return found.length > 0 && found.some((f) => /passes `/.test(f)) ? `\`{{ ${name}|safe }}\`: every render of ${template} in the files read — ${found.join('; ')}` : undefined;
}

export const jinjaSanitisedHtml: Defuser = {
  id: 'template-sanitised-value', category: 'defused', family: /safe|xss|cwe-79\b|template-unescaped/, base: 84,
  detail: 'every render call in the files read passes the value printed with |safe through bleach or nh3 (or an empty literal)',
  test: sanitisedEverywhere,
};
