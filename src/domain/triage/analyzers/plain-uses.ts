import { fileLine, statement } from '../code-view';
import { quote, ruleText, type DecisiveAnalyzer } from './types';

/**
 * Settings whose risk depends on what they are used for, read from the code:
 * - a Jinja `Environment(…, autoescape=False)` stored in a name whose every template in the file is
 *   plain text (`mail.get_template("reset.txt")`): text mail bodies are never parsed as HTML, so
 *   there is nothing to escape. Not when any template it loads is HTML or unknown
 *   (`get_template(name)`, `from_string(…)`), or the file loads none;
 * - CORS for any origin that allows only safe methods (`methods: ['GET']`, `allow_methods=["GET"]`)
 *   and no credentials: a foreign page may read what any client may fetch, without the user's
 *   cookies. Not when credentials are allowed, methods are left at their defaults, or any unsafe
 *   method is listed.
 */
const plainTemplate = /\.(?:txt|text|eml)$/;

export const plainTextTemplates: DecisiveAnalyzer = ({ finding, where, view }) => {
  if (!view || !/autoescape|jinja2_autoescape|b701\b/i.test(ruleText(finding))) return undefined;
  const text = statement(view);
  if (!/\bEnvironment\s*\([\s\S]*autoescape\s*=\s*False/.test(text)) return undefined;
  const name = /^\s*([A-Za-z_]\w*)\s*=/.exec(text)?.[1];
  if (!name) return undefined;
  const uses = view.lines.map((line, i) => ({ line, i })).filter(({ line, i }) => i !== view.flagged && new RegExp(String.raw`(?<![\w.])${name}\.`).test(line));
  const loads = uses.map(({ line, i }) => ({ i, template: new RegExp(String.raw`(?<![\w.])${name}\.get_template\(\s*["']([^"']+)["']\s*\)`).exec(line)?.[1] }));
  if (loads.length === 0 || loads.some((l) => !l.template || !plainTemplate.test(l.template))) return undefined;
  const first = loads[0]!;
  return {
    verdict: 'false_positive',
    category: 'not_security',
    base: 80,
    factor: { id: 'plain-text-templates', weight: 0, detail: `Every template \`${name}\` loads in the file is plain text (line ${fileLine(view, first.i)}: \`${first.template}\`${loads.length > 1 ? ` and ${loads.length - 1} more` : ''}); nothing it renders is parsed as HTML.` },
    justification: `No security impact at ${where}: the environment with autoescape off (\`${quote(text, 80)}\`) renders only plain-text templates (line ${fileLine(view, first.i)}: \`${first.template}\`), which no browser parses as HTML.`,
  };
};

export const readOnlyCors: DecisiveAnalyzer = ({ finding, where, view }) => {
  if (!view || !/cors|cwe-942\b/i.test(`${ruleText(finding)} ${finding.cwes.join(' ')}`)) return undefined;
  const text = statement(view);
  const methods = /\b(?:methods|allow_methods|allowedMethods)\s*[:=]\s*(\[[^\]]*\]|\(?["'][^"']*["']\)?)/.exec(text)?.[1];
  if (!methods) return undefined;
  const listed = [...methods.matchAll(/["']([^"']+)["']/g)].flatMap((m) => (m[1] ?? '').split(/\s*,\s*/)).map((m) => m.trim().toUpperCase());
  if (listed.length === 0 || listed.some((m) => !['GET', 'HEAD', 'OPTIONS'].includes(m))) return undefined;
  if (/\b(?:credentials|supports_credentials|allow_credentials|allowCredentials)\s*[:=]\s*(?!false\b|False\b)/.test(text)) return undefined;
  return {
    verdict: 'false_positive',
    category: 'not_security',
    base: 80,
    factor: { id: 'read-only-cors', weight: 0, detail: `The CORS setting allows only ${listed.join(', ')} and no credentials (\`${quote(text, 80)}\`).` },
    justification: `No security impact at ${where}: cross-origin access is limited to ${listed.join('/')} without credentials (\`${quote(text, 80)}\`), so a foreign page can read only what it could fetch itself, never with the user's cookies.`,
  };
};

/**
 * Bandit's `assert_used` (B101) matters where an assert makes a security decision: `python -O`
 * strips it and the check is gone. An assert on the shape of data (`assert len(row) == 5`) that
 * names no user, role, permission, owner, token, session, signature or secret decides nothing about
 * who may do what; stripped, the code goes on to fail on the bad data itself. Any such word in the
 * condition or its message keeps the finding.
 */
const securityDecision = /user|admin|staff|superuser|role|perm|owner|auth|login|token|session|csrf|sign|passw|secret|\bkey\b|allow|access|grant|privileg|tenant|account|verif|trust|scope|acl|can_|may_|belongs/i;

export const dataAssertion: DecisiveAnalyzer = ({ finding, where, view }) => {
  if (!view || !/\bb101\b|assert_used|assert-used/i.test(ruleText(finding)) || !/\.py$/.test(finding.location?.path ?? '')) return undefined;
  const text = statement(view).trim();
  const condition = /^assert\s+([\s\S]+)$/.exec(text)?.[1];
  if (!condition || securityDecision.test(condition)) return undefined;
  return {
    verdict: 'false_positive',
    category: 'not_security',
    base: 80,
    factor: { id: 'data-assertion', weight: 0, detail: `The assert at line ${fileLine(view, view.flagged)} checks the shape of data (\`${quote(text, 80)}\`) and names no user, permission, token or secret: it makes no security decision that \`python -O\` could remove.` },
    justification: `No security impact at ${where}: the assert (\`${quote(text, 80)}\`) is a sanity check on data, not an access or integrity decision; were it stripped by \`python -O\`, nothing would be allowed that the check forbids to a user.`,
  };
};

/**
 * A plain-HTTP request matters for what it carries and what is done with the answer. A notification
 * sent and forgotten — `requests.post(URL, json={"report": "monthly", "meters": len(rows)}, timeout=10)`
 * as a statement of its own, its answer unused — with no headers, auth or cookies, whose body is a
 * literal dict of non-sensitive keys holding literals or counts, carries no credential or personal
 * data and takes nothing back. Any other argument, a sensitive key, or an answer that is used and it
 * decides nothing.
 */
const sensitiveField = /pass|token|secret|key|auth|session|cookie|email|mail|phone|name_of|address|user|account|card|iban|ssn|birth|signature|otp|pin\b/i;

export const fireAndForgetHttp: DecisiveAnalyzer = ({ finding, where, view }) => {
  if (!view || !/insecure-transport|request-with-http|cleartext|plain-?http|cwe-319\b/i.test(`${ruleText(finding)} ${finding.cwes.join(' ')}`)) return undefined;
  const text = statement(view).trim();
  const call = /^(?:requests|httpx|session|client)\.(post|put|patch)\(([\s\S]*)\)\s*;?$/.exec(text);
  if (!call) return undefined;
  const args = (call[2] ?? '').split(/,(?![^{]*\})/).map((a) => a.trim()).filter(Boolean);
  const [, ...rest] = args;
  for (const arg of rest) {
    if (/^timeout\s*=\s*[\d.]+$/.test(arg)) continue;
    const body = /^(?:json|data)\s*=\s*\{([^{}]*)\}$/.exec(arg)?.[1];
    if (body === undefined) return undefined;
    for (const pair of body.split(',').map((p) => p.trim()).filter(Boolean)) {
      const m = /^(["'])([\w -]+)\1\s*:\s*(.+)$/.exec(pair);
      if (!m || sensitiveField.test(m[2] ?? '')) return undefined;
      if (!/^(?:"[^"]*"|'[^']*'|-?\d+(?:\.\d+)?|True|False|None|len\([\w.]+\))$/.test((m[3] ?? '').trim())) return undefined;
    }
  }
  return {
    verdict: 'false_positive',
    category: 'not_security',
    base: 80,
    factor: { id: 'plain-http-notification', weight: 0, detail: `The request at line ${fileLine(view, view.flagged)} sends only literals and counts under non-sensitive keys, with no headers, auth or cookies, and its answer is not used.` },
    justification: `No security impact at ${where}: the plain-HTTP request (\`${quote(text, 100)}\`) carries no credential or personal data — only literals and counts — and nothing is done with its answer.`,
  };
};
