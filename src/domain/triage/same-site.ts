import { indentOf } from './code-view';
import type { NumberedLine } from './code-view';
import { block, dominates, escape, reject } from './guards';

/**
 * A local predicate that admits only same-site targets, judged by its body, never its name: it
 * reads the URL's host (`netloc`, `host`, `hostname`, `origin`) and its scheme or leading `/`, refuses
 * a protocol-relative `//host` (an explicit `startswith("//")` check, or a parsed URL whose host must
 * be empty or equal to the request's), and returns false on some path. A helper that only checks a
 * leading `/` (which lets `//evil.example` through) or searches for a host name in the text is not one.
 */
export function sameSiteHelper(name: string, module: readonly string[]): { line: number; code: string } | undefined {
  const header = module.findIndex((line) => new RegExp(String.raw`^\s*(?:def\s+${escape(name)}\s*\(|(?:export\s+)?(?:async\s+)?function\s+${escape(name)}\s*\(|(?:const|let|var)\s+${escape(name)}\s*=\s*(?:\([^)]*\)|\w+)\s*=>)`).test(line));
  if (header < 0) return undefined;
  const indent = indentOf(module[header] ?? '');
  const body: string[] = [];
  for (let i = header + 1; i < module.length && body.length < 30; i += 1) {
    const line = module[i] ?? '';
    if (line.trim() === '') continue;
    if (indentOf(line) <= indent) {
      if (/^\s*\}/.test(line)) break;
      break;
    }
    body.push(line);
  }
  const text = body.join('\n');
  const readsHost = /\b(?:netloc|hostname|host|origin)\b/.test(text);
  const readsScheme = /\b(?:scheme|protocol)\b|\.startswith\(\s*["']\/["']\s*\)|\.startsWith\(\s*["']\/["']\s*\)/.test(text);
  const refusesProtocolRelative = /startswith\(\s*["']\/\/["']\s*\)|startsWith\(\s*["']\/\/["']\s*\)|["']\/\/["']\s*(?:in|===?)|not\s+\w+\.netloc|!\s*\w+\.host\b|\.netloc\s*(?:==|in)\s*|\.host(?:name)?\s*===?\s*/.test(text);
  const parses = /\burl(?:split|parse)\(|\bnew\s+URL\(|\burl\.parse\(/.test(text);
  const rejects = /\breturn\s+(?:False|false)\b|\breturn\s+not\b|\breturn\s+!|\breturn\b[^\n]*(?:\band\b|&&)/.test(text);
  if (!readsHost || !readsScheme || !refusesProtocolRelative || !parses || !rejects) return undefined;
  return { line: header + 1, code: (module[header] ?? '').trim() };
}

/**
 * `target if is_local(target) else "/"` (Python) or `isLocal(target) ? target : '/'` (JS): the
 * value reaches the sink only when the helper admits it, else a literal does.
 */
export function admittedBy(expression: string): { value: string; helper: string; fallback: string } | undefined {
  const literal = String.raw`(?:"[^"\n]*"|'[^'\n]*'|\`[^\`$\n]*\`)`;
  const py = new RegExp(String.raw`^\s*([\w.]+)\s+if\s+([A-Za-z_]\w*)\(\s*\1\s*\)\s+else\s+(${literal})\s*$`).exec(expression);
  if (py) return { value: py[1] ?? '', helper: py[2] ?? '', fallback: py[3] ?? '' };
  const js = new RegExp(String.raw`^\s*([A-Za-z_$][\w$]*)\(\s*([\w$.]+)\s*\)\s*\?\s*\2\s*:\s*(${literal})\s*$`).exec(expression);
  if (js) return { value: js[2] ?? '', helper: js[1] ?? '', fallback: js[3] ?? '' };
  return undefined;
}

/**
 * `if not is_local(target): abort(400)` / `if (!isLocal(next)) return res.redirect('/')`: a rejecting
 * check with a same-site predicate that dominates the sink, the value not assigned again after it.
 */
export function refusedUnlessSameSite(name: string, scope: readonly NumberedLine[], indent: number, module: readonly string[]): { helper: string; line: number; code: string } | undefined {
  if (!/^[A-Za-z_$][\w$]*$/.test(name)) return undefined;
  const check = new RegExp(String.raw`^\s*if\s*(?:\(\s*!\s*|not\s+)([A-Za-z_$][\w$]*)\(\s*${escape(name)}\s*\)\s*\)?\s*[:{]?`);
  for (let i = scope.length - 1; i >= 0; i -= 1) {
    const m = check.exec(scope[i]?.text ?? '');
    if (!m || !reject.test(block(scope, i)) || !dominates(scope, i, indent, name)) continue;
    if (!sameSiteHelper(m[1] ?? '', module)) continue;
    return { helper: m[1] ?? '', line: scope[i]?.line ?? 0, code: (scope[i]?.text ?? '').trim() };
  }
  return undefined;
}

/**
 * A local helper that keeps only same-site paths and otherwise returns a literal, judged by its body:
 * `if (!t || !t.startsWith('/') || t.startsWith('//') || t.startsWith('/\\')) return '/'; return t;`
 * (Python: `if not t or not t.startswith("/") or …: return "/"` then `return t`). The condition must
 * refuse a missing leading `/`, a `//` prefix and a `/\` prefix (which browsers read as `//`), be a
 * plain disjunction, and every return be that literal or the parameter itself, never reassigned.
 */
export function sameSitePathHelper(name: string, module: readonly string[]): { line: number; code: string; fallback: string } | undefined {
  const header = module.findIndex((line) => new RegExp(String.raw`^\s*(?:def\s+${escape(name)}\s*\(|(?:export\s+)?(?:async\s+)?function\s+${escape(name)}\s*\(|(?:export\s+)?(?:const|let|var)\s+${escape(name)}\s*=\s*\()`).test(line));
  if (header < 0) return undefined;
  const param = new RegExp(String.raw`${escape(name)}\s*(?:=\s*)?\(\s*([A-Za-z_$][\w$]*)`).exec(module[header] ?? '')?.[1];
  if (!param) return undefined;
  const indent = indentOf(module[header] ?? '');
  const body: string[] = [];
  for (let i = header + 1; i < module.length && body.length < 12; i += 1) {
    const line = module[i] ?? '';
    if (line.trim() === '' || /^\s*(?:\/\/|#)/.test(line)) continue;
    if (indentOf(line) <= indent) break;
    body.push(line.trim());
  }
  const p = escape(param);
  const literal = String.raw`(?:"[^"\n]*"|'[^'\n]*')`;
  const guard = new RegExp(String.raw`^if\s*\(?(.+?)\)?\s*(?::|\{)?\s*return\s+(${literal})\s*;?\s*\}?$`).exec(body[0] ?? '');
  const last = new RegExp(String.raw`^return\s+${p}\s*;?$`).test(body[1] ?? '');
  if (!guard || !last || body.length !== 2 + (body[2] === '}' ? 1 : 0)) return undefined;
  const condition = guard[1] ?? '';
  if (/&&|\band\b/.test(condition)) return undefined;
  const starts = (prefix: string) => new RegExp(String.raw`(?<![!\w])${p}\.(?:startsWith|startswith)\(\s*["']${prefix}["']\s*\)`).test(condition.replace(/(?:!|\bnot\s+)[\w$]+\.(?:startsWith|startswith)\([^)]*\)/g, ''));
  const leading = new RegExp(String.raw`(?:!|\bnot\s+)${p}\.(?:startsWith|startswith)\(\s*["']/["']\s*\)`).test(condition);
  if (!leading || !starts('//') || !starts(String.raw`/\\\\`)) return undefined;
  return { line: header + 1, code: (module[header] ?? '').trim(), fallback: guard[2] ?? '' };
}

/** `safeRedirect(url.searchParams.get('to'))`: the whole call, when its helper is a same-site path helper of the file. */
export function sameSitePathArgument(expression: string, module: readonly string[], startLine: number): { line: number; code: string; how: string } | undefined {
  const call = /^\s*([A-Za-z_$][\w$]*)\(([\s\S]*)\)\s*$/.exec(expression);
  const helper = call ? sameSitePathHelper(call[1] ?? '', module) : undefined;
  if (!call || !helper) return undefined;
  return { line: helper.line + startLine - 1, code: helper.code, how: `passed through \`${call[1]}\`, whose body returns ${helper.fallback} unless the value starts with \`/\` and not with \`//\` or \`/\\\`, so only a same-site path gets through` };
}
