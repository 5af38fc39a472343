/**
 * XXE hardening for JAXP factories: `f.setFeature(disallow-doctype-decl, true)` (or the spec's own
 * statements, e.g. StAX properties) right after a local factory is created.
 */
import type { Node } from 'web-tree-sitter';
import { detectEol } from '../edits';
import type { FixContext, FixOutcome } from '../types';
import { checkedExceptionHandled, javaString, lineAfter, localDeclarationOf, refersTo } from './syntax';

const FEATURE = 'http://apache.org/xml/features/disallow-doctype-decl';

export interface FactorySpec {
  /** The factory class, e.g. `javax.xml.parsers.DocumentBuilderFactory`. */
  qualified: string;
  /** Checked exceptions setFeature throws, each a list of names that cover it (itself or a superclass). */
  exceptions: string[][];
  /** Statements that harden factory `name`, when not the disallow-doctype-decl feature. */
  hardening?: {
    statements(name: string, block: Node): string[];
    /** Already safe: nothing to add. */
    isHardened(block: Node, name: string): boolean;
    /** "disallowed DTDs and external entities", for the description. */
    what: string;
    /** "disables DTD support", for the already-safe reason. */
    safeState: string;
  };
}

/** Calls `<name>.<method>(…)` inside the block. */
export function callsOn(block: Node, name: string, method: string): Node[] {
  return block.descendantsOfType('method_invocation').filter((call): call is Node =>
    call !== null && call.childForFieldName('object')?.text === name && call.childForFieldName('name')?.text === method,
  );
}

/** Does the block already call `<name>.setFeature(FEATURE, true)`? */
function alreadyDisallowed(block: Node, name: string): boolean {
  return block.descendantsOfType('method_invocation').some((call) => {
    if (call === null || call.childForFieldName('object')?.text !== name || call.childForFieldName('name')?.text !== 'setFeature') return false;
    const [feature, value] = call.childForFieldName('arguments')?.namedChildren ?? [];
    return javaString(feature) === FEATURE && value?.type === 'true';
  });
}

export function xxeFix(spec: FactorySpec, ctx: FixContext): FixOutcome {
  const simple = spec.qualified.slice(spec.qualified.lastIndexOf('.') + 1);
  const { node, source } = ctx;
  const line = node.startPosition.row + 1;
  const local = localDeclarationOf(node);
  if (!local) return { unfixed: `${simple}.newInstance() on line ${line} is not assigned to a local variable; add setFeature by hand` };
  const { statement, block, name } = local;
  if (block.type !== 'block' && block.type !== 'constructor_body') return { unfixed: `the factory on line ${line} is not declared in a block` };
  const hardened = spec.hardening?.isHardened(block, name.text) ?? alreadyDisallowed(block, name.text);
  if (hardened) return { unfixed: `${name.text} on line ${line} already ${spec.hardening?.safeState ?? 'disallows DOCTYPE declarations'}; nothing to fix`, alreadySafe: true };
  const unhandled = spec.exceptions.find((names) => !checkedExceptionHandled(statement, names));
  if (unhandled !== undefined) {
    return { unfixed: `setFeature throws ${unhandled[0] ?? 'a checked exception'}, which the code around line ${line} neither declares nor catches; add it by hand` };
  }
  const statements = spec.hardening?.statements(name.text, block) ?? [`${name.text}.setFeature("${FEATURE}", true);`];
  const edit = lineAfter(statement, source, statements, detectEol(source));
  if (edit === undefined) return { unfixed: `the factory on line ${line} shares its line with other code; add the hardening by hand` };
  const what = spec.hardening?.what ?? 'disallowed DOCTYPE declarations';
  return {
    edits: [edit],
    description: `${what[0]?.toUpperCase() ?? ''}${what.slice(1)} on the ${simple} created on line ${line}, so XML cannot pull in external entities.`,
  };
}

/** Every `Factory.newInstance()` / `newDefaultInstance()` call of the spec's factory. */
export function factoryCreations(root: Node, spec: FactorySpec): Node[] {
  return root.descendantsOfType('method_invocation').filter((n): n is Node => {
    if (n === null || !['newInstance', 'newDefaultInstance', 'newFactory', 'newDefaultFactory'].includes(n.childForFieldName('name')?.text ?? '')) return false;
    return refersTo(n.childForFieldName('object'), root, spec.qualified);
  });
}
