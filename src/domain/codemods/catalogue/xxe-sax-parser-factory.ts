import { factoryCreationsAndSinks, xxeFixAt, type FactorySpec } from '../java/xxe';
import type { Codemod } from '../types';

const SPEC: FactorySpec = {
  qualified: 'javax.xml.parsers.SAXParserFactory',
  exceptions: [
    ['ParserConfigurationException', 'Exception', 'Throwable'],
    ['SAXNotRecognizedException', 'SAXException', 'Exception', 'Throwable'],
    ['SAXNotSupportedException', 'SAXException', 'Exception', 'Throwable'],
  ],
};

export const xxeSaxParserFactory: Codemod = {
  id: 'xxe-sax-parser-factory',
  title: 'Disallow DOCTYPE in SAXParserFactory',
  summary: 'Protect SAXParserFactory against XML external entities',
  description: [
    "A default `SAXParserFactory` resolves external entities, so an XML document can make the parser read local",
    'files (`file:///etc/passwd`), call internal URLs, or expand entities until memory runs out. This change forbids',
    "DOCTYPE declarations altogether, OWASP's recommended setting, right after the factory is created.",
    '',
    '```diff',
    ' SAXParserFactory spf = SAXParserFactory.newInstance();',
    '+spf.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);',
    '```',
  ].join('\n'),
  reviewGuidance: 'merge-after-cursory-review',
  reviewGuidanceReason: 'Documents that carry a DOCTYPE (some legacy formats, DTD validation) will now be rejected with a parse error.',
  languages: ['java'],
  cwes: ['CWE-611'],
  owasp: ['A05:2021'],
  references: [
    { title: 'OWASP XXE Prevention Cheat Sheet: JAXP SAXParserFactory', url: 'https://cheatsheetseries.owasp.org/cheatsheets/XML_External_Entity_Prevention_Cheat_Sheet.html#jaxp-documentbuilderfactory-saxparserfactory-and-dom4j' },
    { title: 'CWE-611: Improper Restriction of XML External Entity Reference', url: 'https://cwe.mitre.org/data/definitions/611.html' },
  ],
  ruleIds: {
    codeql: ['java/xxe'],
    semgrep: ['java.lang.security.audit.xxe.saxparserfactory-disallow-doctype-decl-missing.saxparserfactory-disallow-doctype-decl-missing'],
    sonar: ['java:S2755'],
  },
  target: 'SAXParserFactory.newInstance() call',
  candidates: (root) => factoryCreationsAndSinks(root, SPEC),
  fix: (ctx) => xxeFixAt(SPEC, ctx),
};
