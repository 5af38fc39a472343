import type { AnalyzerInput } from './types';
import type { Defuser } from './defusers';

/**
 * Vue's `v-html="safeBody"` where the component binds `safeBody` once, to DOMPurify's output
 * (`const safeBody = computed(() => DOMPurify.sanitize(props.notice.bodyHtml, { ALLOWED_TAGS: [...] }))`,
 * also a plain `const` or a `ref(…)`), with DOMPurify imported from its package and never given a
 * hook or options that let script, frames, extra attributes or other URI schemes through. A name
 * assigned again (`safeBody.value = …`), bound to anything else or an expression in the attribute
 * decides nothing.
 */
const weakening = /script|iframe|object|embed|ADD_ATTR|ADD_TAGS|ALLOW_UNKNOWN_PROTOCOLS|ALLOWED_URI_REGEXP|\bon[a-z]+\b|WHOLE_DOCUMENT|RETURN_DOM/;

function purifiedBinding({ view }: AnalyzerInput): string | undefined {
  if (!view) return undefined;
  const name = /\bv-html\s*=\s*"\s*([A-Za-z_$][\w$]*)\s*"/.exec(view.lines[view.flagged] ?? '')?.[1];
  if (!name) return undefined;
  const lines = view.lines;
  if (!lines.some((line) => /^\s*import\s+DOMPurify\s+from\s+["'](?:dompurify|isomorphic-dompurify)["']/.test(line))) return undefined;
  if (lines.some((line) => /DOMPurify\.(?:addHook|setConfig)\(/.test(line))) return undefined;
  const escaped = name.replace(/\$/g, '\\$');
  const mentions = lines.filter((line) => new RegExp(String.raw`(?<![\w$.])${escaped}\s*(?:\.value\s*)?=(?!=)|\b(?:const|let|var)\s+${escaped}\b`).test(line));
  if (mentions.length !== 1) return undefined;
  const binding = mentions[0] ?? '';
  const m = new RegExp(String.raw`^\s*const\s+${escaped}\s*=\s*(?:computed\(\s*\(\)\s*=>\s*|ref\(\s*)?DOMPurify\.sanitize\(([\s\S]*)\)\s*\)?\s*;?\s*$`).exec(binding);
  if (!m || weakening.test(m[1] ?? '')) return undefined;
  return binding.trim().slice(0, 140);
}

export const vueSanitisedHtml: Defuser = {
  id: 'vue-purified-binding', category: 'defused', family: /v-html|vue|xss|cwe-79\b/, base: 86,
  detail: 'the HTML that v-html renders is bound once, to DOMPurify.sanitize output with no option or hook letting script through',
  test: purifiedBinding,
};
