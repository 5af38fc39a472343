/**
 * `(date.today() - timedelta(days=days)).isoformat()` and `date.today().isoformat()`: whatever the
 * receiver, only a date or time has `isoformat`, whose text holds digits, `-`, `:`, `T`, `.` and
 * `+`. Beside near misses: a date given as text by the caller, and a module defining its own
 * `isoformat`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ruleFinding, triageMarked } from './support/triage-at';

const b608 = ruleFinding('B608', 'bandit', ['CWE-89']);
const command = (cutoff: string, extra: string[] = []) => [
  'from datetime import date, timedelta',
  'import click',
  'from sqlalchemy import text',
  'from .extensions import db',
  ...extra,
  '@click.command("purge-bookings")',
  '@click.option("--days", type=int, default=400)',
  '@click.option("--since", default="")',
  'def purge_bookings(days, since):',
  `    cutoff = ${cutoff}`,
  `    db.session.execute(text(f"DELETE FROM booking WHERE created_at < '{cutoff}'"))`,
].join('\n');
const at = (file: string) => triageMarked(b608, 'app/cli.py', file, 'DELETE FROM booking');

test("a date's isoformat, of a call's result or a parenthesised expression, is set aside in SQL", () => {
  for (const cutoff of ['(date.today() - timedelta(days=days)).isoformat()', 'date.today().isoformat()']) {
    const result = at(command(cutoff));
    assert.equal(result.verdict, 'false_positive', `${cutoff}: ${result.justification}`);
  }
});

test('a date the caller gives as text, or a module with its own isoformat, stays a finding', () => {
  const text = at(command('since.strip()'));
  assert.notEqual(text.verdict, 'false_positive', text.justification);
  const own = at(command('(date.today() - timedelta(days=days)).isoformat()', ['class Cutoff:', '    def isoformat(self):', '        return self.raw']));
  assert.notEqual(own.verdict, 'false_positive', own.justification);
});
