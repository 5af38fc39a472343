import { LINES_AFTER } from '../code-window';
import { decoratedFunction, type DecoratedFunction } from '../decorated-functions';
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
export function readOnlyExemptView(input: AnalyzerInput): string | undefined {
  const fn = exemptView(input);
  if (!fn) return undefined;
  const body = fn.body.join('\n');
  if (readsRequest.test(body) || changesState.test(body) || fn.decorators.some((d) => unsafeMethods.test(d))) return undefined;
  return `${quote(fn.signature)} ${quote(fn.body.filter((l) => l.trim() !== '').join('\n'))}`;
}

/**
 * A Django `@csrf_exempt` view that authenticates each request by an HMAC of its body (a webhook):
 * before anything else is done, it computes `hmac.new(<key>, request.body, …)` and refuses (a 4xx
 * response or an exception) unless `hmac.compare_digest` matches a value the request carries. A
 * forged cross-site request cannot sign its body, so the exemption lets nothing through. Not when the
 * check only logs, compares with `==`, or comes after a state change.
 */
export function signedExemptView(input: AnalyzerInput): string | undefined {
  const fn = exemptView(input);
  if (!fn) return undefined;
  const lines = fn.body.filter((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  const signed = lines.findIndex((l) => /\bhmac\.new\(.*\brequest\.body\b/.test(l));
  const check = lines.findIndex((l) => /^\s*if\s+not\s+(?:hmac\.)?compare_digest\(/.test(l));
  if (signed < 0 || check < signed) return undefined;
  const refusal = lines[check + 1] ?? '';
  if (!/^\s*(?:return\s+(?:HttpResponseForbidden|HttpResponseBadRequest|HttpResponse\([^)]*status\s*=\s*4\d\d|JsonResponse\([^)]*status\s*=\s*4\d\d)|raise\s+(?:PermissionDenied|SuspiciousOperation|BadRequest|Http404)\b)/.test(refusal)) return undefined;
  if (lines.slice(0, check).some((l) => changesState.test(l))) return undefined;
  return `${(lines[signed] ?? '').trim()} … ${(lines[check] ?? '').trim()} ${refusal.trim()}`;
}

function exemptView({ flagged, view }: AnalyzerInput): DecoratedFunction | undefined {
  if (!/@csrf_exempt\b/.test(flagged)) return undefined;
  let fn: DecoratedFunction | undefined;
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
  return fn;
}
