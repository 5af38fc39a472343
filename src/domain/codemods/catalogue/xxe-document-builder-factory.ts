import { factoryCreationsAndSinks, xxeFixAt, type FactorySpec } from '../java/xxe';
import type { Codemod } from '../types';

const SPEC: FactorySpec = {
  qualified: 'javax.xml.parsers.DocumentBuilderFactory',
  exceptions: [['ParserConfigurationException', 'Exception', 'Throwable']],
};

export const xxeDocumentBuilderFactory: Codemod = {
  id: 'xxe-document-builder-factory',
  title: 'Disallow DOCTYPE in DocumentBuilderFactory',
  summary: 'Protect DocumentBuilderFactory against XML external entities',
  description: [
    "A default `DocumentBuilderFactory` resolves external entities, so an XML document can make the parser read local",
    'files (`file:///etc/passwd`), call internal URLs, or expand entities until memory runs out. This change forbids',
    "DOCTYPE declarations altogether, OWASP's recommended setting, right after the factory is created.",
    '',
    '```diff',
    ' DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();',
    '+dbf.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);',
    '```',
  ].join('\n'),
  reviewGuidance: 'merge-after-cursory-review',
  reviewGuidanceReason: 'Documents that carry a DOCTYPE (some legacy formats, DTD validation) will now be rejected with a parse error.',
  languages: ['java'],
  cwes: ['CWE-611'],
  owasp: ['A05:2021'],
  references: [
    { title: 'OWASP XXE Prevention Cheat Sheet: JAXP DocumentBuilderFactory', url: 'https://cheatsheetseries.owasp.org/cheatsheets/XML_External_Entity_Prevention_Cheat_Sheet.html#jaxp-documentbuilderfactory-saxparserfactory-and-dom4j' },
    { title: 'CWE-611: Improper Restriction of XML External Entity Reference', url: 'https://cwe.mitre.org/data/definitions/611.html' },
  ],
  ruleIds: {
    codeql: ['java/xxe'],
    semgrep: ['java.lang.security.audit.xxe.documentbuilderfactory-disallow-doctype-decl-missing.documentbuilderfactory-disallow-doctype-decl-missing'],
    sonar: ['java:S2755'],
  },
  target: 'DocumentBuilderFactory.newInstance() call',
  candidates: (root) => factoryCreationsAndSinks(root, SPEC),
  fix: (ctx) => xxeFixAt(SPEC, ctx),
};
