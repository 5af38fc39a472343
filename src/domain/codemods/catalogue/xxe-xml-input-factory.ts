import type { Node } from 'web-tree-sitter';
import { callsOn, factoryCreationsAndSinks, xxeFixAt, type FactorySpec } from '../java/xxe';
import { javaString } from '../java/syntax';
import type { Codemod } from '../types';

const EXTERNAL_ENTITIES = 'javax.xml.stream.isSupportingExternalEntities';

/** `f.setProperty(<one of names>, false)` in the block. */
function setsFalse(block: Node, name: string, property: readonly string[]): boolean {
  return callsOn(block, name, 'setProperty').some((call) => {
    const [key, value] = call.childForFieldName('arguments')?.namedChildren ?? [];
    const keyText = javaString(key) ?? key?.text.replace(/\s+/g, '');
    return keyText !== undefined && property.includes(keyText) && (value?.type === 'false' || value?.text === 'Boolean.FALSE');
  });
}

const SUPPORT_DTD = ['XMLInputFactory.SUPPORT_DTD', 'javax.xml.stream.XMLInputFactory.SUPPORT_DTD', 'javax.xml.stream.supportDTD'];
const SUPPORT_EXTERNAL = ['XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES', 'javax.xml.stream.XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES', EXTERNAL_ENTITIES];

const SPEC: FactorySpec = {
  qualified: 'javax.xml.stream.XMLInputFactory',
  // setProperty throws only IllegalArgumentException, which is unchecked.
  exceptions: [],
  hardening: {
    statements: (name, block) => [
      `${name}.setProperty(XMLInputFactory.SUPPORT_DTD, false);`,
      ...(setsFalse(block, name, SUPPORT_EXTERNAL) ? [] : [`${name}.setProperty("${EXTERNAL_ENTITIES}", false);`]),
    ],
    isHardened: (block, name) => setsFalse(block, name, SUPPORT_DTD),
    what: 'turned off DTD support and external entities',
    safeState: 'turns off DTD support',
  },
};

export const xxeXmlInputFactory: Codemod = {
  id: 'xxe-xml-input-factory',
  title: 'Turn off DTDs in XMLInputFactory',
  summary: 'Protect XMLInputFactory (StAX) against XML external entities',
  description: [
    'A default `XMLInputFactory` reads DTDs and resolves external entities, so an XML document can make the reader',
    'pull in local files (`file:///etc/passwd`), call internal URLs or expand entities until memory runs out. This',
    "change turns DTD support and external entities off right after the factory is created, OWASP's recommended",
    'setting for StAX.',
    '',
    '```diff',
    ' XMLInputFactory xif = XMLInputFactory.newInstance();',
    '+xif.setProperty(XMLInputFactory.SUPPORT_DTD, false);',
    '+xif.setProperty("javax.xml.stream.isSupportingExternalEntities", false);',
    '```',
  ].join('\n'),
  reviewGuidance: 'merge-after-cursory-review',
  reviewGuidanceReason: 'Documents that declare entities in a DTD will no longer have them expanded (the reader reports an undeclared entity); plain XML reads the same.',
  languages: ['java'],
  cwes: ['CWE-611'],
  owasp: ['A05:2021'],
  references: [
    { title: 'OWASP XXE Prevention Cheat Sheet: StAX XMLInputFactory', url: 'https://cheatsheetseries.owasp.org/cheatsheets/XML_External_Entity_Prevention_Cheat_Sheet.html#xmlinputfactory-a-stax-parser' },
    { title: 'CWE-611: Improper Restriction of XML External Entity Reference', url: 'https://cwe.mitre.org/data/definitions/611.html' },
  ],
  ruleIds: {
    codeql: ['java/xxe'],
    semgrep: ['java.lang.security.xmlinputfactory-external-entities-enabled.xmlinputfactory-external-entities-enabled', 'java.lang.security.xmlinputfactory-possible-xxe.xmlinputfactory-possible-xxe'],
    sonar: ['java:S2755'],
    snyk: ['java/XXE'],
    checkmarx: ['XXE'],
    generic: ['harden-xmlinputfactory'],
  },
  target: 'XMLInputFactory.newInstance() call',
  candidates: (root) => factoryCreationsAndSinks(root, SPEC),
  fix: (ctx) => xxeFixAt(SPEC, ctx),
};
