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

function xxeFix(spec: FactorySpec, ctx: FixContext): FixOutcome {
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
function factoryCreations(root: Node, spec: FactorySpec): Node[] {
  return root.descendantsOfType('method_invocation').filter((n): n is Node => {
    if (n === null || !['newInstance', 'newDefaultInstance', 'newFactory', 'newDefaultFactory'].includes(n.childForFieldName('name')?.text ?? '')) return false;
    return refersTo(n.childForFieldName('object'), root, spec.qualified);
  });
}

/** Methods that parse with a factory's product, where CodeQL's java/xxe marks the finding (the sink). */
const SINKS = new Set(['parse', 'createXMLStreamReader', 'createXMLEventReader', 'newDocumentBuilder', 'newSAXParser', 'newTransformer', 'newTemplates', 'transform']);

/** The factory creation a receiver comes from: `f` (a local initialised by it), `f.newX()`, or a local holding `f.newX()`. */
function creationBehind(receiver: Node | null, creations: readonly Node[], hops = 0): Node | undefined {
  if (receiver === null || hops > 3) return undefined;
  const direct = creations.find((c) => c.equals(receiver));
  if (direct !== undefined) return direct;
  if (receiver.type === 'method_invocation' && SINKS.has(receiver.childForFieldName('name')?.text ?? '')) {
    return creationBehind(receiver.childForFieldName('object'), creations, hops + 1);
  }
  if (receiver.type !== 'identifier') return undefined;
  // The nearest earlier local declaration of that name in an enclosing block.
  for (let scope: Node | null = receiver.parent; scope !== null && scope.type !== 'class_body'; scope = scope.parent) {
    if (scope.type !== 'block' && scope.type !== 'constructor_body') continue;
    const declarations = scope.namedChildren.filter((s): s is Node => s?.type === 'local_variable_declaration' && s.startIndex < receiver.startIndex);
    for (const stmt of declarations.reverse()) {
      const declarator = stmt.childrenForFieldName('declarator').find((d) => d?.childForFieldName('name')?.text === receiver.text);
      if (declarator != null) return creationBehind(declarator.childForFieldName('value'), creations, hops + 1);
    }
  }
  return undefined;
}

/**
 * Creations plus the parse calls that use them (`dbf.newDocumentBuilder().parse(in)`, `xif.createXMLStreamReader(in)`):
 * CodeQL reports XXE at the parse, so a finding there must lead back to the factory. Document order.
 */
export function factoryCreationsAndSinks(root: Node, spec: FactorySpec): Node[] {
  const creations = factoryCreations(root, spec);
  if (creations.length === 0) return [];
  const sinks = root.descendantsOfType('method_invocation').filter((n): n is Node => {
    if (n === null || !SINKS.has(n.childForFieldName('name')?.text ?? '')) return false;
    return creationBehind(n.childForFieldName('object'), creations) !== undefined;
  });
  // `dbf.newDocumentBuilder().parse(in)`: both calls start at `dbf`; the outer one stands for the line.
  const outer = sinks.filter((s) => !sinks.some((o) => o.childForFieldName('object')?.equals(s) === true));
  return [...creations, ...outer].sort((a, b) => a.startIndex - b.startIndex);
}

/** Fixes a creation, or the creation behind a parse call. */
export function xxeFixAt(spec: FactorySpec, ctx: FixContext): FixOutcome {
  const creations = factoryCreations(ctx.root, spec);
  if (creations.some((c) => c.equals(ctx.node))) return xxeFix(spec, ctx);
  const creation = creationBehind(ctx.node.childForFieldName('object'), creations);
  if (creation === undefined) return { unfixed: `the parse call on line ${ctx.node.startPosition.row + 1} does not lead back to a local factory` };
  return xxeFix(spec, { ...ctx, node: creation });
}
