/**
 * A random pick given as a field of a call or literal written over several lines
 * (`Booking(…, colour=random.choice(CHIP_COLOURS))`): the field's name is the value's one use. Beside
 * near misses: the same pick given as a token or an invite code, and a call naming a secret.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ruleFinding, triageMarked } from './support/triage-at';

const b311 = ruleFinding('B311', 'bandit', ['CWE-330'], 'low');
const view = (field: string, extra = 'notes=request.form.get("notes", ""),') => [
  'import random',
  'CHIP_COLOURS = ["#c0392b", "#d35400", "#27ae60"]',
  '@bp.route("/bookings", methods=["POST"])',
  'def create():',
  '    booking = Booking(',
  '        member_id=current_user.id,',
  `        ${extra}`,
  `        ${field}=random.choice(CHIP_COLOURS),`,
  '    )',
  '    db.session.add(booking)',
  '    return redirect(url_for("bookings.detail", booking_id=booking.id))',
].join('\n');
const at = (file: string) => triageMarked(b311, 'app/bookings/views.py', file, '=random.choice');

test('a random pick given as a colour field is set aside', () => {
  const result = at(view('colour'));
  assert.equal(result.verdict, 'false_positive', result.justification);
  assert.match(result.justification, /colour/);
});

test('the same pick as a token or invite code, or beside a secret, stays a finding', () => {
  for (const file of [view('token'), view('invite_code'), view('colour', 'reset_token=make_token(),')]) {
    const result = at(file);
    assert.notEqual(result.verdict, 'false_positive', result.justification);
  }
});
