/** SARIF text → validated `SarifLog`. */
import { AppError } from '../errors';
import { checkRunCount } from './bounds';
import { isLog } from './fast-shape';
import { checkShape, sarifLogSchema, type SarifLog } from './schema';

/**
 * Parses SARIF 2.1.0 text. A leading UTF-8 byte-order mark is ignored. Throws `invalid_sarif`
 * for a JSON syntax error (with line, column and offset, never echoing the content) and for a
 * log without `version: "2.1.0"`, a `runs` array, a `tool.driver.name` per run, or with
 * `results` that is not an array of objects (the message names the JSON path).
 */
export function parseSarif(text: string): SarifLog {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new AppError('invalid_sarif', `The SARIF file is not valid JSON: ${describeSyntaxError(body, error)}.`);
  }
  checkRunCount(json);
  // The hand-written check passes the common case without zod's per-object work; zod words the error.
  return isLog(json) ? (json as SarifLog) : checkShape(sarifLogSchema, json, []);
}

function describeSyntaxError(text: string, error: unknown): string {
  const found = findSyntaxError(text);
  if (!found) return error instanceof Error ? error.message.slice(0, 200) : 'unreadable';
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < found.offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return `${found.reason} at line ${line}, column ${found.offset - lineStart + 1} (offset ${found.offset})`;
}

const ESCAPES = '"\\/bfnrtu';

/**
 * Finds where JSON text first goes wrong. Only runs after `JSON.parse` failed (V8's messages do not
 * always carry a position). Iterative, so deeply nested input cannot overflow the stack.
 */
export function findSyntaxError(text: string): { offset: number; reason: string } | undefined {
  const n = text.length;
  const number = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  const stack: ('[' | '{')[] = [];
  let i = 0;
  const fail = (reason: string) => ({ offset: i, reason: i >= n ? 'unexpected end of input' : reason });
  const skipSpace = (): void => {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const readString = (): { offset: number; reason: string } | undefined => {
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return undefined;
      }
      if (c < 0x20) return fail('control character in a string');
      if (c === 0x5c) {
        const e = text[i + 1] ?? '';
        if (!ESCAPES.includes(e) || e === '') {
          i++;
          return fail('invalid escape in a string');
        }
        if (e === 'u' && !/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return fail('invalid \\u escape');
        i += e === 'u' ? 6 : 2;
      } else i++;
    }
    return fail('unterminated string');
  };
  const readKey = (): { offset: number; reason: string } | undefined => {
    skipSpace();
    if (text[i] !== '"') return fail('expected a property name in double quotes');
    const bad = readString();
    if (bad) return bad;
    skipSpace();
    if (text[i] !== ':') return fail("expected ':' after a property name");
    i++;
    return undefined;
  };

  for (;;) {
    skipSpace();
    const c = text[i];
    if (c === undefined) return fail('');
    if (c === '{' || c === '[') {
      i++;
      skipSpace();
      if (text[i] === (c === '{' ? '}' : ']')) i++;
      else {
        stack.push(c);
        if (c === '{') {
          const bad = readKey();
          if (bad) return bad;
        }
        continue;
      }
    } else if (c === '"') {
      const bad = readString();
      if (bad) return bad;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      number.lastIndex = i;
      if (!number.test(text)) return fail('invalid number');
      i = number.lastIndex;
    } else if (text.startsWith('true', i)) i += 4;
    else if (text.startsWith('false', i)) i += 5;
    else if (text.startsWith('null', i)) i += 4;
    else return fail(`unexpected character ${JSON.stringify(c)}`);

    // After a value: close finished containers, or move to the next element.
    for (;;) {
      skipSpace();
      const top = stack[stack.length - 1];
      if (top === undefined) return i < n ? fail('unexpected data after the JSON value') : undefined;
      const close = top === '{' ? '}' : ']';
      if (text[i] === close) {
        stack.pop();
        i++;
        continue;
      }
      if (text[i] !== ',') return fail(`expected ',' or '${close}'`);
      i++;
      if (top === '{') {
        const bad = readKey();
        if (bad) return bad;
      }
      break;
    }
  }
}
