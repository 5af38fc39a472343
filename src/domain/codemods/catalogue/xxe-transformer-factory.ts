import type { Node } from 'web-tree-sitter';
import { callsOn, factoryCreationsAndSinks, xxeFixAt, type FactorySpec } from '../java/xxe';
import { javaString } from '../java/syntax';
import type { Codemod } from '../types';

const ACCESS_DTD = 'http://javax.xml.XMLConstants/property/accessExternalDTD';
const ACCESS_STYLESHEET = 'http://javax.xml.XMLConstants/property/accessExternalStylesheet';

/** Does the block set `<name>.setAttribute(<attribute>, "")`, by its URI or its XMLConstants name? */
function restricts(block: Node, name: string, uri: string, constant: string): boolean {
  return callsOn(block, name, 'setAttribute').some((call) => {
    const [key, value] = call.childForFieldName('arguments')?.namedChildren ?? [];
    const keyText = javaString(key) ?? key?.text.replace(/\s+/g, '');
    return (keyText === uri || keyText === `XMLConstants.${constant}` || keyText === `javax.xml.XMLConstants.${constant}`) && javaString(value) === '';
  });
}

const SPEC: FactorySpec = {
  qualified: 'javax.xml.transform.TransformerFactory',
  // setAttribute throws only IllegalArgumentException, which is unchecked.
  exceptions: [],
  hardening: {
    statements: (name, block) => [
      ...(restricts(block, name, ACCESS_DTD, 'ACCESS_EXTERNAL_DTD') ? [] : [`${name}.setAttribute("${ACCESS_DTD}", "");`]),
      ...(restricts(block, name, ACCESS_STYLESHEET, 'ACCESS_EXTERNAL_STYLESHEET') ? [] : [`${name}.setAttribute("${ACCESS_STYLESHEET}", "");`]),
    ],
    isHardened: (block, name) => restricts(block, name, ACCESS_DTD, 'ACCESS_EXTERNAL_DTD') && restricts(block, name, ACCESS_STYLESHEET, 'ACCESS_EXTERNAL_STYLESHEET'),
    what: 'allowed no external DTDs or stylesheets',
    safeState: 'allows no external DTDs or stylesheets',
  },
};

export const xxeTransformerFactory: Codemod = {
  id: 'xxe-transformer-factory',
  title: 'Allow no external DTDs or stylesheets in TransformerFactory',
  summary: 'Protect TransformerFactory against XML external entities',
  description: [
    'A default `TransformerFactory` follows the DTD and stylesheet references in the XML and XSLT it transforms, so a',
    'document can make the server read local files or call internal URLs (XXE). This change sets the JAXP',
    '`accessExternalDTD` and `accessExternalStylesheet` attributes to `""` (no protocol allowed) right after the',
    'factory is created.',
    '',
    '```diff',
    ' TransformerFactory tf = TransformerFactory.newInstance();',
    `+tf.setAttribute("${ACCESS_DTD}", "");`,
    `+tf.setAttribute("${ACCESS_STYLESHEET}", "");`,
    '```',
  ].join('\n'),
  reviewGuidance: 'merge-after-cursory-review',
  reviewGuidanceReason: 'Documents or stylesheets that load an external DTD, xsl:import or xsl:include by URL now fail with a TransformerException.',
  languages: ['java'],
  cwes: ['CWE-611'],
  owasp: ['A05:2021'],
  references: [
    { title: 'OWASP XXE Prevention Cheat Sheet: TransformerFactory', url: 'https://cheatsheetseries.owasp.org/cheatsheets/XML_External_Entity_Prevention_Cheat_Sheet.html#transformerfactory' },
    { title: 'JAXP XMLConstants.ACCESS_EXTERNAL_DTD', url: 'https://docs.oracle.com/en/java/javase/17/docs/api/java.xml/javax/xml/XMLConstants.html#ACCESS_EXTERNAL_DTD' },
  ],
  ruleIds: {
    codeql: ['java/xxe'],
    semgrep: ['java.lang.security.audit.xxe.transformerfactory-dtds-not-disabled.transformerfactory-dtds-not-disabled'],
    sonar: ['java:S2755'],
  },
  target: 'TransformerFactory.newInstance() call',
  candidates: (root) => factoryCreationsAndSinks(root, SPEC),
  fix: (ctx) => xxeFixAt(SPEC, ctx),
};
