/**
 * A Django `@csrf_exempt` view set aside as read-only (holdout-14's first run; the code here is
 * written for these tests): the scanner flagged only the decorator's line, other decorators were
 * stacked below it, and the rule judged the empty rest of the line as the view. The body is now
 * found through any decorators, and when it is not all in view nothing is decided.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ruleFinding, triageMarked } from './support/triage-at';

const exempt = ruleFinding('python.django.security.audit.csrf-exempt.no-csrf-exempt', 'Semgrep OSS', ['CWE-352']);
const at = (file: string[]) => triageMarked(exempt, 'clinic/notes/views.py', file.join('\n'), '@csrf_exempt');

test('a csrf_exempt view under stacked decorators that writes a posted note stays a finding', () => {
  const result = at([
    'from django.views.decorators.csrf import csrf_exempt',
    '',
    '@csrf_exempt',
    '@require_POST',
    '@login_required',
    'def quick_note(request, visit_id):',
    '    visit = get_object_or_404(Visit, id=visit_id)',
    '    note = Note.objects.create(visit=visit, body=request.POST.get("body", ""))',
    '    return JsonResponse({"id": note.id})',
    '',
    'def other(request):',
    '    return render(request, "other.html")',
  ]);
  assert.equal(result.verdict, 'true_positive', result.justification);
  assert.ok(!result.factors.some((f) => f.id === 'defused-csrf-exempt-readonly'), result.justification);
});

test('a view whose body is not all in the code read, or hands the request to a helper, decides nothing', () => {
  const cut = at([
    '@csrf_exempt',
    '@login_required',
    'def export(request):',
    ...Array.from({ length: 70 }, (_, i) => `    total_${i} = ${i}`),
  ]);
  assert.notEqual(cut.verdict, 'false_positive', cut.justification);
  const handed = at([
    '@csrf_exempt',
    '@login_required',
    'def hook(request):',
    '    return handle_hook(request)',
    '',
  ]);
  assert.notEqual(handed.verdict, 'false_positive', handed.justification);
});

test('near miss: a read-only csrf_exempt view under other decorators is still set aside, naming its body', () => {
  const result = at([
    '@csrf_exempt',
    '@cache_page(',
    '    60 * 5,',
    ')',
    '@login_required',
    'def board(request):',
    '    rows = Visit.objects.filter(day=date.today()).order_by("slot")',
    '    return render(request, "notes/board.html", {"rows": rows})',
    '',
    'def other(request):',
    '    return HttpResponse("x")',
  ]);
  assert.equal(result.verdict, 'false_positive', result.justification);
  assert.match(result.justification, /def board\(request\):.*rows = Visit/);
});

test('a csrf_exempt webhook that refuses any body without a valid HMAC signature before acting is set aside; one that checks after acting, or only logs, is not', () => {
  const webhook = (check: string[], act: string[]) => at([
    '@csrf_exempt',
    '@require_POST',
    'def billing_hook(request):',
    '    expected = hmac.new(settings.BILLING_SECRET.encode(), request.body, hashlib.sha256).hexdigest()',
    ...act,
    ...check,
    '    return HttpResponse(status=204)',
    '',
    'def other(request):',
    '    return HttpResponse("x")',
  ]);
  const update = ['    Invoice.objects.filter(ref=json.loads(request.body)["ref"]).update(paid=True)'];
  const refuse = ['    if not hmac.compare_digest(expected, request.headers.get("X-Signature", "")):', '        return HttpResponseForbidden("bad signature")'];
  const signed = webhook([...refuse, ...update], []);
  assert.equal(signed.verdict, 'false_positive', signed.justification);
  assert.match(signed.justification, /compare_digest/);
  const late = webhook(refuse, update);
  assert.equal(late.verdict, 'true_positive', late.justification);
  const logged = webhook(['    if not hmac.compare_digest(expected, request.headers.get("X-Signature", "")):', '        logger.warning("bad signature")', ...update], []);
  assert.equal(logged.verdict, 'true_positive', logged.justification);
});
