import { withoutComments } from './protection-bindings';
import type { FoundRegistration } from './global-protections';

/**
 * Protections an application mounts through a function of its own that receives the app
 * (`applySecurity(app)` in `app.js`, with `function applySecurity(app) { app.use(helmet());
 * app.use(lusca.csrf()); }` in `lib/security.js`): the registrations that function's body makes on
 * its parameter, found by `js-protections.ts` in the helper's module. The caller registers them at
 * the line of the call, so Express's ordering rules hold there (a router mounted above the call is
 * not covered). One call deep only; not when the helper's body can leave before the registration
 * (a `return` above it, or the registration inside an `if`), nor when the registration is made on
 * anything but the parameter.
 */
export interface HelperRegistration {
  registration: FoundRegistration;
  /** The helper's first line (for the evidence: "through `applySecurity` (lib/security.js:7)"). */
  defined: number;
}

/** The body of a top-level function `name` with one parameter: its parameter and the lines it spans (1-based, inclusive). */
function helperBody(lines: readonly string[], name: string): { param: string; start: number; end: number } | undefined {
  const header = new RegExp(String.raw`^(?:export\s+)?(?:(?:async\s+)?function\s+${name.replace(/\$/g, '\\$')}\s*\(\s*([\w$]+)\s*\)|(?:const|let|var)\s+${name.replace(/\$/g, '\\$')}\s*=\s*(?:async\s+)?(?:function\s*)?\(?\s*([\w$]+)\s*\)?\s*(?:=>)?)\s*\{\s*$|^(?:module\.)?exports\.${name.replace(/\$/g, '\\$')}\s*=\s*(?:async\s+)?(?:function\s*[\w$]*\s*)?\(?\s*([\w$]+)\s*\)?\s*(?:=>)?\s*\{\s*$`);
  const start = lines.findIndex((line) => header.test(line));
  if (start < 0) return undefined;
  const m = header.exec(lines[start] ?? '');
  const param = m?.[1] ?? m?.[2] ?? m?.[3];
  const end = lines.findIndex((line, i) => i > start && /^\}\s*;?\s*$/.test(line));
  if (!param || end < 0) return undefined;
  return { param, start: start + 1, end: end + 1 };
}

/**
 * The registrations the helper `name` of a module makes on its parameter, given the module's text
 * and the registrations found in it. Each stays `ordered` as it was: the caller's placement decides.
 */
export function registrationsOfHelper(text: string, found: readonly FoundRegistration[], name: string): HelperRegistration[] {
  const lines = withoutComments(text, false).split('\n');
  const body = helperBody(lines, name);
  if (!body) return [];
  const inside = found.filter((r) => r.line > body.start && r.line < body.end && r.scope === 'application' && r.placement?.receiver === body.param);
  return inside
    .filter((r) => !lines.slice(body.start, r.line - 1).some((line) => /\breturn\b|\bthrow\b/.test(line)))
    .map((registration) => ({ registration, defined: body.start }));
}
