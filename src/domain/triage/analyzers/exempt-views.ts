import { LINES_AFTER } from '../code-window';
import { decoratedFunction } from '../decorated-functions';
import { quote, type AnalyzerInput } from './types';

/** Request data read, or the request handed on to code that may read it (a template render excepted). */
const readsRequest = /request\.(?:POST|GET|body|FILES|COOKIES|META|data|headers|json|read|stream|query_params)\b|\b(?!render\b|render_to_response\b|TemplateResponse\b)[\w.]+\(\s*request\s*[,)]/;
/** State changed: a write of the ORM, the response's cookies, a file, a cache or a session. */
const changesState = /\.(?:save|update|delete|create|get_or_create|update_or_create|bulk_create|set_cookie|delete_cookie|write|set|add|remove|send|execute|flush)\(|request\.session\[[^\]]+\]\s*=/;
/** Decorators that say the view takes unsafe methods or acts for a user. */
const unsafeMethods = /@require_POST\b|@require_http_methods\([^)]*(?:POST|PUT|PATCH|DELETE)/;

/**
 * A Django `@csrf_exempt` view that reads no request data and changes nothing: the body of the
 * decorated function (through any other decorators) is read from the source when it is all in view,
 * else from the scanner's region when that holds the whole function. Anything less decides nothing.
 */
export function readOnlyExemptView({ flagged, view }: AnalyzerInput): string | undefined {
  if (!/@csrf_exempt\b/.test(flagged)) return undefined;
  let fn;
  if (view) {
    const at = view.lines.findIndex((l, i) => i >= view.flagged && i <= view.flaggedEnd && /@csrf_exempt\b/.test(l));
    // The window ends at the file's end when fewer lines than it reads follow the finding.
    const toEnd = view.lines.length - 1 - view.flaggedEnd < LINES_AFTER;
    fn = at >= 0 ? decoratedFunction(view.lines, at, toEnd) : undefined;
  }
  if (!fn) {
    const lines = flagged.split('\n');
    const at = lines.findIndex((l) => /@csrf_exempt\b/.test(l));
    fn = decoratedFunction(lines, at, true);
  }
  if (!fn) return undefined;
  const body = fn.body.join('\n');
  if (readsRequest.test(body) || changesState.test(body) || fn.decorators.some((d) => unsafeMethods.test(d))) return undefined;
  return `${quote(fn.signature)} ${quote(fn.body.filter((l) => l.trim() !== '').join('\n'))}`;
}
