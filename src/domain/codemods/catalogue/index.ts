/** Every shipped codemod, one file each. Add a new one here; the registry rejects duplicate ids. */
import type { Codemod } from '../types';
import { evalJsonParse } from './eval-json-parse';
import { evalLiteralEval } from './eval-literal-eval';
import { expressDisableXPoweredBy } from './express-disable-x-powered-by';
import { djangoDebugFalse } from './django-debug-false';
import { djangoSessionCookieSecure } from './django-session-cookie-secure';
import { flaskDebugFalse } from './flask-debug-false';
import { jinja2Autoescape } from './jinja2-autoescape';
import { javaCookieSecure } from './java-cookie-secure';
import { jwtDecodeVerifyJs } from './jwt-decode-verify-js';
import { jwtDecodeVerifyPython } from './jwt-decode-verify-python';
import { mathRandomCrypto } from './math-random-crypto';
import { nodeTlsRejectUnauthorized } from './node-tls-reject-unauthorized';
import { pyyamlSafeLoad } from './pyyaml-safe-load';
import { requestsTimeout } from './requests-timeout';
import { requestsVerifyTrue } from './requests-verify-true';
import { secureCookiePython } from './secure-cookie-python';
import { secureRandomJava } from './secure-random-java';
import { secureRandomPython } from './secure-random-python';
import { spawnShellFalse } from './spawn-shell-false';
import { subprocessShellFalse } from './subprocess-shell-false';
import { tempfileMktemp } from './tempfile-mktemp';
import { weakHashSha256 } from './weak-hash-sha256';
import { weakHashSha256Java } from './weak-hash-sha256-java';
import { weakHashSha256Js } from './weak-hash-sha256-js';
import { xxeDocumentBuilderFactory } from './xxe-document-builder-factory';
import { xxeSaxParserFactory } from './xxe-sax-parser-factory';
import { nodeWeakTls } from './node-weak-tls';
import { nodeExecExecfile } from './node-exec-execfile';
import { sqlParameterizeNode } from './sql-parameterize-node';
import { expressCookieFlags } from './express-cookie-flags';
import { jsPathTraversalGuard } from './js-path-traversal-guard';
import { sqlParameterizePython } from './sql-parameterize-python';
import { xxeXmlInputFactory } from './xxe-xml-input-factory';
import { pythonWeakTls } from './python-weak-tls';
import { javaWeakTls } from './java-weak-tls';
import { xxePythonDefusedxml } from './xxe-python-defusedxml';
import { sqlParameterizeJdbc } from './sql-parameterize-jdbc';
import { jwtVerifyJava } from './jwt-verify-java';
import { pythonPathTraversalGuard } from './python-path-traversal-guard';
import { libxmljsNoentFalse } from './libxmljs-noent-false';
import { domTextContent } from './dom-text-content';
import { jsYamlSafeLoad } from './js-yaml-safe-load';
import { expressErrorhandlerDevOnly } from './express-errorhandler-dev-only';
import { osSystemSubprocess } from './os-system-subprocess';
import { flaskSessionCookieFlags } from './flask-session-cookie-flags';
import { flaskSendFromDirectory } from './flask-send-from-directory';
import { xxeTransformerFactory } from './xxe-transformer-factory';
import { ruamelYamlSafe } from './ruamel-yaml-safe';
import { evalNumberParse } from './eval-number-parse';
import { regexNestedQuantifier } from './regex-nested-quantifier';
import { expressStaticBeforeSession } from './express-static-before-session';
import { tokenFromClockSecrets } from './token-from-clock-secrets';

export const catalogue: readonly Codemod[] = [
  // Python
  pyyamlSafeLoad,
  requestsVerifyTrue,
  // Before weak-hash-sha256, which shares its rule ids: a token hashed from the time needs secrets, not SHA-256.
  // Written after the corpus run of `npm run eval:fixes`.
  tokenFromClockSecrets,
  weakHashSha256,
  secureRandomPython,
  subprocessShellFalse,
  tempfileMktemp,
  flaskDebugFalse,
  jwtDecodeVerifyPython,
  requestsTimeout,
  jinja2Autoescape,
  djangoDebugFalse,
  djangoSessionCookieSecure,
  evalLiteralEval,
  secureCookiePython,
  // JavaScript / TypeScript
  nodeTlsRejectUnauthorized,
  weakHashSha256Js,
  mathRandomCrypto,
  expressDisableXPoweredBy,
  evalJsonParse,
  jwtDecodeVerifyJs,
  spawnShellFalse,
  // Java
  secureRandomJava,
  weakHashSha256Java,
  xxeDocumentBuilderFactory,
  xxeSaxParserFactory,
  javaCookieSecure,
  // JavaScript / TypeScript: commands, SQL, cookies, TLS versions
  nodeWeakTls,
  nodeExecExecfile,
  sqlParameterizeNode,
  expressCookieFlags,
  jsPathTraversalGuard,
  // Python and Java: SQL parameters, XXE, JWT verification, TLS versions
  sqlParameterizePython,
  xxeXmlInputFactory,
  pythonWeakTls,
  javaWeakTls,
  xxePythonDefusedxml,
  sqlParameterizeJdbc,
  jwtVerifyJava,
  pythonPathTraversalGuard,
  // Shapes the real-code corpus showed
  libxmljsNoentFalse,
  domTextContent,
  jsYamlSafeLoad,
  expressErrorhandlerDevOnly,
  osSystemSubprocess,
  flaskSessionCookieFlags,
  flaskSendFromDirectory,
  xxeTransformerFactory,
  ruamelYamlSafe,
  // Written after the corpus run of `npm run eval:fixes` (tuned on what it missed; general shapes only)
  evalNumberParse,
  regexNestedQuantifier,
  expressStaticBeforeSession,
];
