import type { CodeView, NumberedLine } from './code-view';
import { admittingCheck, noDots, rejectingCheck, type Check, type CheckContext } from './helper-checks';
import { moduleReader, type ModuleReader } from './module-imports';
import type { RepositoryFacts } from './repository-facts';

/**
 * Value-flow's use of the application's own functions and settings (`function-summaries.ts`,
 * `module-imports.ts`): a sink argument a helper returns with a guarantee that answers the rule's
 * family (`esc(name)` for HTML, `toId(x)` for any, `safeName(f)` reduced to a basename for a path),
 * a setting the deployment fixes in an imported module (`settings.EXPORT_DIR`, `config.uploadsDir`),
 * and a check — written in place or a helper's — that leaves unless the value passes and dominates
 * the sink.
 */
export interface HelperContext {
  reader: ModuleReader;
  check: CheckContext;
}

type Kind = 'constant' | 'number' | 'sanitised' | 'checked';
export interface HelperReason { name: string; reason: { safe: true; kind: Kind; line?: number; code: string; how: string } }

export function helperContext(view: CodeView, path: string | undefined, repository: RepositoryFacts | undefined): HelperContext {
  const reader = moduleReader(path ?? '', view.lines, view.startLine, repository?.modules);
  return { reader, check: { module: view.lines, helper: reader.helper } };
}

/** Whether what a check or helper guarantees makes a value harmless for the family. */
export function answers(check: Pick<Check, 'guarantee' | 'pattern'>, family: string): boolean {
  switch (check.guarantee) {
    case 'escaped': return family === 'xss';
    case 'basename': return family === 'path';
    case 'local-path': return family === 'redirect' || family === 'ssrf';
    case 'pattern': return family !== 'path' || noDots(check as Check);
    default: return true;
  }
}

const kindOf = (check: Check): Kind => (check.guarantee === 'number' ? 'number' : check.guarantee === 'escaped' || check.guarantee === 'basename' ? 'sanitised' : 'checked');

/** Index just past the bracket closing the one at `open`, or -1 (strings skipped). */
function closing(text: string, open: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = open; i < text.length; i += 1) {
    const ch = text[i] ?? '';
    if (quote) {
      if (ch === '\\') i += 1;
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '"' || ch === "'" || ch === '`') quote = ch;
    else if (ch === '(') depth += 1;
    else if (ch === ')' && (depth -= 1) === 0) return i + 1;
  }
  return -1;
}

/** Calls of helpers whose result answers the family, and settings of imported modules: each replaced by ` 0 ` with its reason. */
export function helperValues(text: string, family: string, context: HelperContext): { rest: string; reasons: HelperReason[] } {
  const reasons: HelperReason[] = [];
  let rest = text;
  for (let guard = 0; guard < 20; guard += 1) {
    let replaced = false;
    for (const m of rest.matchAll(/(?<![\w$.])([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)?)\s*\(/g)) {
      const summary = context.reader.helper(m[1] ?? '');
      const returns = summary?.returns && answers(summary.returns, family) ? summary.returns : undefined;
      const setting = summary?.requiredEnv ? summary.requiredEnv : undefined;
      if (!summary || (!returns && !setting)) continue;
      const start = m.index ?? 0;
      const end = closing(rest, start + m[0].length - 1);
      if (end < 0) continue;
      const call = rest.slice(start, end);
      reasons.push({ name: call.length > 60 ? `${call.slice(0, 59)}…` : call, reason: returns
        ? { safe: true, kind: kindOf(returns), line: summary.line, code: summary.header, how: `returned by \`${summary.name}\` (${summary.where}), which by its body returns it ${returns.how}` }
        : { safe: true, kind: 'constant', line: summary.line, code: summary.header, how: `a deployment setting: ${setting?.how ?? ''}` } });
      rest = `${rest.slice(0, start)} 0 ${rest.slice(end)}`;
      replaced = true;
      break;
    }
    if (!replaced) break;
  }
  rest = rest.replace(/(?<![\w$.])([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)?)(?![\w$(.])/g, (all) => {
    const setting = context.reader.setting(all);
    if (!setting) return all;
    reasons.push({ name: all, reason: { safe: true, kind: 'constant', line: setting.line, code: setting.code, how: `a setting the deployment fixes (${setting.path}:${setting.line}: \`${setting.code.slice(0, 80)}\`), never the caller's text` } });
    return ' 0 ';
  });
  return { rest, reasons };
}

/** A check that leaves unless `name` passes it (or admits only then) and dominates the sink, answering the family. */
export function helperGuard(name: string, scope: readonly NumberedLine[], indent: number, family: string, context: HelperContext): { line: number; code: string; how: string } | undefined {
  const found = rejectingCheck(name, scope, indent, context.check) ?? admittingCheck(name, scope, indent, context.check);
  return found && answers(found, family) ? { line: found.line, code: found.code, how: found.how } : undefined;
}
