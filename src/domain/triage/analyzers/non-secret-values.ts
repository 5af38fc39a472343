import { topLevelArguments } from '../expressions';
import { enclosingFunction, fileLine, functionDescription, scopeBefore, statement } from '../code-view';
import { generatedSecret } from '../generated-secrets';
import type { Defuser } from './defusers';
import { developmentSecretOverridden, localhostDefault, overriddenInProduction, refusedInProduction } from './settings-defaults';
import { notACredentialRule, type AnalyzerInput } from './types';
import { words } from './value-use';
import { keySelectingDecode } from '../key-selecting-decode';

/**
 * Findings about secrets, cookies, logs and addresses where the code shows nothing secret is at
 * stake. Each reads the flagged statement (and the file around it); a sensitive word where the
 * value comes from or goes keeps the finding.
 */

const sensitive = /token|secret|passw|pwd|api[_-]?key|private|credential|auth|cookie|session|jwt|bearer|signature|otp|\bpin\b|ssn|card|cvv|iban|account_?number/i;

/** A logging call whose arguments (besides the message text) carry no secret: the message only names one. */
function loggedWithoutSecret(input: AnalyzerInput): string | undefined {
  const text = input.view ? statement(input.view) : undefined;
  if (!text) return undefined;
  const call = /\b(?:log|logger|logging|LOG|LOGGER|console|this\.log(?:ger)?|self\.log(?:ger)?|app\.logger|current_app\.logger)\.(?:debug|info|warn|warning|error|exception|critical|fatal|log|trace)\s*\(([\s\S]*)\)\s*;?\s*$/.exec(text.trim());
  if (!call) return undefined;
  const args = topLevelArguments(call[1] ?? '');
  // The message is the first string argument (pino and bunyan take an object of fields first).
  const message = args.find((a) => /^[fF]?["'`]/.test(a));
  if (!message) return undefined;
  const rest = args.filter((a) => a !== message);
  // What an f-string or template literal interpolates is logged too.
  const interpolated = [...message.matchAll(/\$\{([^}]*)\}|(?<=^[fF]["'][^"']*)\{([^}]*)\}/g)].map((m) => m[1] ?? m[2] ?? '');
  const values = [...rest.filter((a) => !/^\w+\s*=/.test(a) || /^extra\s*=/.test(a)), ...interpolated];
  // A whole request, form, header set or configuration object may carry a secret whatever its name.
  const wholesale = /^(?:request|req|ctx|body|form|headers|params|data|payload|kwargs|args|config|settings|env|environ|os\.environ|process\.env|user|account|credentials?)$/i;
  if (values.some((value) => sensitive.test(value) || wholesale.test(value.trim().split('.').pop() ?? '') || /^\*{1,2}/.test(value.trim()))) return undefined;
  // A value a secret generator made (`key = os.urandom(24).hex()`) is a secret whatever its name.
  const scope = input.view ? scopeBefore(input.view) : [];
  if (values.some((value) => {
    const name = /^(?:str\(|String\()?\s*([A-Za-z_$][\w$]*)(?:\.(?:hex|decode|toString)\([^)]*\))?\s*\)?$/.exec(value.trim())?.[1];
    return name !== undefined && generatedSecret(name, scope) !== undefined;
  })) return undefined;
  return text.trim().slice(0, 140);
}

/**
 * A private address or range (10/8, 172.16/12, 192.168/16, with a CIDR suffix or not) of a metrics or
 * logging collector, or of the network's own proxies and load balancers listed as trusted for
 * forwarded headers (`TRUSTED_PROXIES = ['10.42.0.0/16']`): configuration of the private network,
 * reachable by no one outside it.
 */
function internalTelemetryAddress(input: AnalyzerInput): string | undefined {
  const text = input.view ? statement(input.view) : input.flagged;
  const ip = /["'`](10\.\d{1,3}\.\d{1,3}\.\d{1,3}|172\.(?:1[6-9]|2\d|3[01])\.\d{1,3}\.\d{1,3}|192\.168\.\d{1,3}\.\d{1,3})(?::\d+|\/\d{1,2})?["'`]/.exec(text);
  if (!ip) return undefined;
  const said = words(text.replace(ip[0], ''));
  if (!/\b(statsd|metrics?|telemetry|otel|opentelemetry|prometheus|graphite|syslog|logging|logs?|fluentd?|logstash|datadog|dogstatsd|jaeger|zipkin|collector|influx\w*|proxy|proxies|ingress|load ?balancers?|forwarded|trusted)\b/i.test(said)) return undefined;
  if (/\b(admin|auth|login|password|secret|token|key|payment|db|database|internal[_ ]?api)\b/i.test(said)) return undefined;
  return text.trim().slice(0, 140);
}

/**
 * A private-network address (10/8, 172.16/12, 192.168/16, link-local 169.254/16 but not the cloud
 * metadata address, loopback 127/8) of a device or service, given as a setting: a constant, a
 * property or a default (`const CONTROLLER_HOST = '10.40.0.12'`, `host: process.env.X ?? '192.168.40.12'`,
 * `hostname: '10.40.0.12'`). It is reachable only inside that network and grants nothing by being
 * known. Not a range (`/16`: an allow-list), not with a user or password in it, not where the
 * statement compares, allows or trusts (an allow-list of callers), names a credential or a data
 * store (`DB_HOST`, Redis, Vault, LDAP: kept, as the telemetry reader keeps them), or when the
 * file reads the caller's address (`req.ip`, `remote_addr`, `X-Forwarded-For`): then the address
 * may decide who is let in.
 */
function privateServiceAddress(input: AnalyzerInput): string | undefined {
  const { view } = input;
  if (!view) return undefined;
  const text = statement(view);
  const ip = /["'`](?:https?:\/\/)?(10\.\d{1,3}\.\d{1,3}\.\d{1,3}|172\.(?:1[6-9]|2\d|3[01])\.\d{1,3}\.\d{1,3}|192\.168\.\d{1,3}\.\d{1,3}|169\.254\.\d{1,3}\.\d{1,3}|127\.\d{1,3}\.\d{1,3}\.\d{1,3})(?::\d{1,5})?(?:\/[\w./-]*)?["'`]/.exec(text);
  if (!ip || ip[1] === '169.254.169.254' || /\/\d{1,2}["'`]$/.test(ip[0])) return undefined;
  // One setting: an assignment, a property or a keyword argument, and no test of anything.
  if (!/^\s*(?:(?:export\s+)?(?:const|let|var|final|static|private|public|readonly)\s+)*["']?[A-Za-z_$][\w$.]*["']?\s*(?::\s*[\w[\]. |<>]+\s*)?[:=](?!=)/.test(text) && !/^\s*[\w$.[\]{}\s,'"]*\b(?:host|hostname|address|addr|ip|url|endpoint|server)\s*[:=]/i.test(text)) return undefined;
  if (/[!=]==?|\bin\b\s*[\[(]|\.includes\(|\.startsWith\(|\bnot in\b|@/.test(text.replace(ip[0], ''))) return undefined;
  const said = words(text.replace(ip[0], ''));
  if (sensitive.test(said) || /\b(allow\w*|whitelist\w*|white_list|trusted|trust|admins?|bypass|internal[_ ]?only|exempt\w*|ignore\w*|skip\w*|cidr|subnet|networks?|ranges?|db|database|postgres\w*|pg|mysql|mariadb|redis|mongo\w*|sql|vault|ldap|kdc)\b/i.test(said)) return undefined;
  if (view.lines.some((line) => /\breq\.ips?\b|\brequest\.ip\b|remote_?addr|remoteAddress|x-forwarded-for|x-real-ip|\bclient_ip\b|request\.client\b|getClientAddress|\.socket\.remote/i.test(line))) return undefined;
  return text.trim().slice(0, 140);
}

/**
 * A key its vendor publishes to browsers by design, hard-coded where it is used: a Mapbox public
 * token (`pk.eyJ…`), a Stripe publishable key (`pk_live_…`, `pk_test_…`), a Sentry DSN (its key is
 * the public one; no `:secret@`), a Firebase web `apiKey` (`AIza…`) in a client configuration
 * naming `authDomain` or `projectId`, a reCAPTCHA/hCaptcha/Turnstile site key named so. Every
 * secret-shaped literal of the statement must be one, and the statement names no secret, private
 * or server key (a Stripe `sk_`/`rk_` key, a Mapbox `sk.` token or a server token stays).
 */
const publishable: [RegExp, string][] = [
  [/^pk\.eyJ[\w-]{10,}\.[\w-]{10,}$/, 'a Mapbox public (pk.) token'],
  [/^pk_(?:live|test)_[0-9A-Za-z]{10,}$/, 'a Stripe publishable key'],
  [/^https:\/\/[0-9a-f]{32}@[\w.-]*sentry\.io\/\d+$|^https:\/\/[0-9a-f]{32}@o\d+\.ingest\.[\w.-]+\/\d+$/, 'a Sentry DSN (its key is the public one)'],
];
function publishableKey(input: AnalyzerInput): string | undefined {
  const { view } = input;
  if (!view) return undefined;
  const text = statement(view);
  const literals = [...text.matchAll(/(["'`])([^"'`\s]{16,})\1/g)].map((m) => m[2] ?? '');
  if (literals.length === 0) return undefined;
  if (/\b(?:secret|private|server|admin|service[_ ]?role|sk|rk|whsec)\b/i.test(words(text).replace(/["'`][^"'`]*["'`]/g, ' ')) || /\b(?:sk|rk)_(?:live|test)_|\bsk\.eyJ|:[0-9a-f]{32}@/.test(text)) return undefined;
  const nearby = view.lines.slice(Math.max(0, view.flagged - 6), view.flaggedEnd + 7).join('\n');
  const kinds = literals.map((literal) => {
    const known = publishable.find(([format]) => format.test(literal))?.[1];
    if (known) return known;
    if (/^AIza[\w-]{35}$/.test(literal) && /\bapiKey\s*:/.test(text) && /\b(?:authDomain|projectId)\s*:/.test(nearby)) return 'a Firebase web API key in the client configuration';
    if (/^(?:6L[\w-]{38}|0x4AAAAAAA[\w-]{10,}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/.test(literal) && /site[_ -]?key/i.test(words(text))) return 'a captcha site key';
    return undefined;
  });
  if (kinds.some((k) => k === undefined)) return undefined;
  return `${[...new Set(kinds)].join(', ')}: ${text.trim().slice(0, 100)}`;
}

/**
 * An MD5 (or SHA-1) of an e-mail address that only addresses a Gravatar/Libravatar picture
 * (`digest = createHash('md5').update(email.trim().toLowerCase()).digest('hex')`, then
 * `https://www.gravatar.com/avatar/${digest}`): the API requires that hash, and it protects
 * nothing. The hashed value must name an e-mail and nothing secret; every later use of the
 * variable in its function must be in a Gravatar URL.
 */
function avatarHash(input: AnalyzerInput): string | undefined {
  const { view } = input;
  if (!view) return undefined;
  const text = statement(view);
  const m = /^\s*(?:(?:const|let|var)\s+)?([A-Za-z_$][\w$]*)\s*(?::\s*\w+\s*)?=\s*(.*(?:md5|sha1)[\s\S]*)$/i.exec(text);
  if (!m || !/\be-?mail\b/i.test(words(m[2] ?? '')) || sensitive.test(m[2] ?? '')) return undefined;
  const name = m[1] ?? '';
  const header = enclosingFunction(view);
  const floor = header === undefined ? -1 : (view.lines[header] ?? '').search(/\S/);
  const read = new RegExp(String.raw`(?<![\w$.])${name.replace(/\$/g, '\\$')}(?![\w$])`);
  const uses: string[] = [];
  for (let i = view.flaggedEnd + 1; i < view.lines.length; i += 1) {
    const line = view.lines[i] ?? '';
    if (line.trim() === '') continue;
    if (header !== undefined && line.search(/\S/) <= floor) break;
    if (read.test(line)) uses.push(line);
  }
  if (uses.length === 0 || !uses.every((use) => /(?:www\.|secure\.)?gravatar\.com\/avatar\/|libravatar\.org\/avatar\//.test(use))) return undefined;
  return `${text.trim().slice(0, 90)} → ${uses[0]?.trim().slice(0, 70)}`;
}

/** A cookie set with a literal name that is no session, identity or token, holding no secret. */
function preferenceCookie(input: AnalyzerInput): string | undefined {
  const text = input.view ? statement(input.view) : undefined;
  if (!text) return undefined;
  // h3/Nuxt and Next's `setCookie(event, 'theme', value)` take the event first.
  const call = /\b(?:cookies\.set|res\.cookie|response\.cookie|set_cookie|setCookie)\s*\(\s*(?:(?<=setCookie\s*\(\s*)(?:event|evt|e|ctx|context|res|response)\s*,\s*)?["'`]([\w.-]+)["'`]\s*,\s*([^,)]+)/.exec(text);
  if (!call) return undefined;
  const [name = '', value = ''] = [call[1], call[2]];
  if (/s?id$|sess|auth|token|jwt|remember|login|user|account|csrf|xsrf|key|secret|sig|cart|consent|track|uid|email|state|nonce|oauth|pkce|verifier|flash|return|redirect|next|admin|role/i.test(name) || sensitive.test(value)) return undefined;
  return `${call[0].slice(0, 120)}…)`;
}

/** An unverified JWT decode in a function that, by its name, only describes a request for logging. */
function decodeForLogging(input: AnalyzerInput): string | undefined {
  const { view } = input;
  if (!view) return undefined;
  const header = enclosingFunction(view);
  const description = functionDescription(view);
  if (header === undefined || !description) return undefined;
  const name = words((view.lines[header] ?? '').replace(/\(.*$/, ''));
  if (!/\b(log|logging|logs|audit|trace|tracing|access log|metrics)\b/i.test(name)) return undefined;
  if (/\b(auth\w*|login|verify|verified|permission\w*|require\w*|current|check\w*|authori[sz]\w*|access control)\b/i.test(name)) return undefined;
  // The rest of the function must not act on the claims: no user set on the request or session, no login.
  const headerIndent = (view.lines[header] ?? '').length - (view.lines[header] ?? '').trimStart().length;
  const rest: string[] = [];
  for (let i = view.flagged; i < view.lines.length; i += 1) {
    const line = view.lines[i] ?? '';
    if (i > view.flagged && line.trim() !== '' && line.length - line.trimStart().length <= headerIndent) break;
    rest.push(line);
  }
  if (/\b(?:request\.(?:user|state)|req\.user|ctx\.state|g\.user|session\s*\[|login\w*\(|authenticate\w*\(|set_current_user|has_perm|is_admin|role)\b/.test(rest.join('\n'))) return undefined;
  return `line ${fileLine(view, header)}: ${(view.lines[header] ?? '').trim()}`;
}

/** `TOKEN_TYPE = "bearer"`: the name says it is a kind or scheme, and the value is one short word. */
function kindLabel(input: AnalyzerInput): string | undefined {
  const text = input.view ? statement(input.view) : input.flagged;
  // One assignment or property and nothing else: `TOKEN_TYPE = "bearer"`, `token_type: "bearer",`.
  const m = /^(?:(?:export\s+)?(?:const|let|var|final|static|private|public)\s+)*["']?([A-Za-z_$][\w$]*)["']?\s*(?::\s*[\w[\]. |]+\s*)?[:=]\s*["']([A-Za-z][\w-]{0,19})["']\s*[,;]?\s*(?:#.*|\/\/.*)?$/.exec(text.trim());
  const kind = (name: string): boolean => /(?:^|_)(type|kind|scheme|algorithm|alg|grant_type|mode)$/i.test(name.replace(/([a-z])([A-Z])/g, '$1_$2'));
  if (m) return kind(m[1] ?? '') ? m[0].trim() : undefined;
  // Several keys or keyword arguments (`{"access_token": token, "token_type": "bearer"}`,
  // `Token(access_token=t, token_type="bearer")`): every secret-named one holding a literal is a kind label.
  const pairs = [...text.matchAll(/["']?([A-Za-z_$][\w$]*)["']?\s*[:=]\s*(["'])([^"'\n]*)\2/g)];
  const secretNamed = pairs.filter((p) => /pass|pwd|secret|token|key|credential/i.test(p[1] ?? ''));
  if (secretNamed.length === 0) return undefined;
  return secretNamed.every((p) => kind(p[1] ?? '') && /^[A-Za-z][\w-]{0,19}$/.test(p[3] ?? '')) ? secretNamed.map((p) => p[0]).join(', ') : undefined;
}

const secretsRule = /hardcoded|hard-coded|password|credential|secret|cwe-798\b|cwe-259\b|cwe-321\b/;

export const nonSecretValues: Defuser[] = [
  { id: 'refused-in-production', category: 'defused', family: secretsRule, exclude: notACredentialRule, base: 82,
    detail: 'the hard-coded value is a development default that the settings refuse when running in production',
    test: refusedInProduction },
  { id: 'dev-secret-overridden', category: 'defused', family: secretsRule, exclude: notACredentialRule, base: 80,
    detail: 'the hard-coded value is a development default that production replaces through its deployment files',
    test: developmentSecretOverridden },
  { id: 'localhost-default', category: 'not_security', family: /hardcoded|hard-coded|password|credential|secret|connection|cwe-798\b|cwe-259\b/, exclude: notACredentialRule, base: 80,
    detail: 'the credentials are in a development default that points at the local machine',
    test: localhostDefault },
  { id: 'overridden-in-production', category: 'not_security', family: /tmp|temp|cwe-377\b|cwe-108\b|hardcoded-ip|no-hardcoded-ip|cwe-1050\b/, base: 80,
    detail: 'the value is a development default that production replaces through its deployment files',
    test: overriddenInProduction },
  { id: 'kind-label', category: 'not_security', family: secretsRule, exclude: notACredentialRule, base: 80,
    detail: 'the hard-coded value names a kind or scheme (an OAuth token type, an algorithm), not a secret',
    test: kindLabel },
  { id: 'logged-without-secret', category: 'not_security', family: /logger-credential|credential-disclosure|log.{0,20}(secret|credential|password|token|sensitive)|cwe-532\b|cwe-312\b/, base: 80,
    detail: 'the log message names a credential but the values it logs carry none',
    test: loggedWithoutSecret },
  { id: 'telemetry-address', category: 'not_security', family: /hardcoded-ip|no-hardcoded-ip|hard-coded-ip|cwe-1050\b/, base: 80,
    detail: 'the hard-coded private address is that of a metrics or logging collector, or of the private network\'s own trusted proxies, which grants no access',
    test: internalTelemetryAddress },
  { id: 'private-service-address', category: 'not_security', family: /hardcoded-ip|no-hardcoded-ip|hard-coded-ip|cwe-1050\b/, base: 80,
    detail: 'the hard-coded address is a private-network (or loopback) address of a device or service, set as configuration: reachable only inside that network, and it decides no access',
    test: privateServiceAddress },
  { id: 'publishable-key', category: 'not_security', family: secretsRule, exclude: notACredentialRule, base: 82,
    detail: 'the hard-coded key is one its vendor publishes to browsers by design (a publishable or public key), not a secret',
    test: publishableKey },
  { id: 'avatar-hash', category: 'not_security', family: /md5|sha-?1\b|weak.?hash|hashing|insecure.?hash|cwe-327\b|cwe-328\b|cwe-916\b|\bb303\b|\bb324\b/, base: 82,
    detail: 'the hash of the e-mail address only addresses its Gravatar picture, which the Gravatar API requires; it protects nothing',
    test: avatarHash },
  { id: 'preference-cookie', category: 'not_security', family: /cookie|cwe-614\b|cwe-1004\b/, base: 78,
    detail: 'the cookie holds a preference, not a session, identity or token, so its flags protect nothing',
    test: preferenceCookie },
  { id: 'decode-for-logging', category: 'not_security', family: /jwt|cwe-347\b/, base: 76,
    detail: 'the unverified token is only read to describe the request in the log; the function is no authentication step',
    test: decodeForLogging },
  { id: 'key-selecting-decode', category: 'defused', family: /jwt|cwe-347\b/, base: 80,
    detail: 'the unverified payload only picks the key for a verified decode of the same token with fixed algorithms; the claims acted on are the verified ones',
    test: keySelectingDecode },
];
