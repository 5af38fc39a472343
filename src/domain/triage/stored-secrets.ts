/**
 * A secret kept on a stored record, for the `secret-vs-request` confirmation
 * (`analyzers/confirmations.ts`): `courier.apiKey !== key` where `courier` was just read from the
 * database (`prisma.courier.findFirst(…)`, `User.objects.get(…)`, `session.query(…).first()`) and
 * `key` came from the request. The stored value is the expected secret; an early-exit comparison
 * with what the sender typed leaks it byte by byte, as a configured secret would.
 */

/**
 * Field names that say the value itself is the secret the sender must know (an API key, token,
 * secret, PIN, one-time password or verification code). A hash, digest or salt is not: comparing a
 * hash of the sent value leaks nothing of the secret.
 */
const secretField = /^(?:\w*(?:api_?key|apikey|token|secret|pin|otp)|(?:\w*(?:verification|verify|reset|access|auth|confirm(?:ation)?|login|one_?time|otp|pin|invite)_?)?code)$/i;
const notSecret = /hash|digest|salt|_?id$|Id$|expir|count|length|len$|type$|name$/i;

/** Calls that read one record from a store (an ORM or query builder). */
const lookup = /\b(?:find(?:First|Unique|One|ById|ByPk|OneBy|FirstOrThrow|UniqueOrThrow)\s*[<(]|objects\.get\(|get_object_or_404\(|(?:db|session)\.get\()|\b(?:query|select|filter|filter_by|where)\(.*\.(?:first|one|one_or_none|scalar|scalar_one|scalar_one_or_none)\(\s*\)/;

/** `record.field`: the field is secret-named and `record` was assigned from a store lookup in the function. */
export function storedSecretField(side: string, scope: readonly { line: number; text: string }[]): string | undefined {
  const m = /^([A-Za-z_$][\w$]*)\??\.([A-Za-z_$][\w$]*)$/.exec(side);
  if (!m) return undefined;
  const [, record = '', field = ''] = m;
  if (!secretField.test(field) || notSecret.test(field.replace(/(?:api_?key|apikey|token|secret|pin|otp|code)$/i, ''))) return undefined;
  const assigned = new RegExp(String.raw`^\s*(?:(?:const|let|var)\s+)?${record.replace(/\$/g, '\\$')}\s*(?::[^=]+)?=(?!=)\s*(.+)$`);
  const origin = [...scope].reverse().find(({ text }) => assigned.test(text));
  if (!origin || !lookup.test(origin.text)) return undefined;
  return `\`${side}\`, a secret-named field of the record read from the store at line ${origin.line}`;
}
