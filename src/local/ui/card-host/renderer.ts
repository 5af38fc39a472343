/**
 * A local stand-in for Bitbucket's UI Kit renderer. In the product, the card's bundle runs
 * `@forge/react`'s reconciler, which sends a ForgeDoc tree over the bridge (`reconcile`) and
 * Bitbucket draws it with Atlassian Design System components. Here the bridge shim
 * (`/forge/bridge-shim.js`, getContext and invoke) is wrapped so `reconcile` draws the tree into
 * `#root` with plain DOM after ADS, one function per UI Kit component the card uses. It loads
 * before the card bundle, which is the real `src/frontend/card.tsx`.
 */
import { flexAlign, headingElement, isForgeDoc, space, supportedComponents, type ForgeDoc } from './forge-doc';

type CallBridge = (command: string, data?: unknown) => Promise<unknown>;
interface BridgeWindow { __bridge?: { callBridge: CallBridge }; __remediateCardDocs?: number }

const text = (value: unknown): string => (typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value));

function element(tag: string, className: string, children: Node[] = []): HTMLElement {
  const node = document.createElement(tag);
  if (className) node.className = className;
  for (const child of children) node.append(child);
  return node;
}

function flex(doc: ForgeDoc, direction: 'row' | 'column', className: string): HTMLElement {
  const node = element('div', className, renderChildren(doc));
  node.style.display = 'flex';
  node.style.flexDirection = direction;
  node.style.gap = space(doc.props.space);
  if (direction === 'row') {
    if (doc.props.shouldWrap === true) node.style.flexWrap = 'wrap';
    if (doc.props.rowSpace !== undefined) node.style.rowGap = space(doc.props.rowSpace);
    node.style.alignItems = flexAlign(doc.props.alignBlock) ?? 'flex-start';
    const inline = flexAlign(doc.props.alignInline) ?? (doc.props.spread === 'space-between' ? 'space-between' : undefined);
    if (inline) node.style.justifyContent = inline;
  } else {
    const inline = flexAlign(doc.props.alignInline);
    if (inline) node.style.alignItems = inline;
  }
  return node;
}

function visuallyHidden(label: string): HTMLElement {
  const span = element('span', 'visually-hidden');
  span.textContent = label;
  return span;
}

/** One function per UI Kit component, after the ADS component it stands for. */
const components: Record<(typeof supportedComponents)[number], (doc: ForgeDoc) => Node> = {
  Root: (doc) => element('div', 'forge-root', renderChildren(doc)),
  String: (doc) => document.createTextNode(text(doc.props.text)),
  Stack: (doc) => flex(doc, 'column', 'ads-stack'),
  Inline: (doc) => flex(doc, 'row', 'ads-inline'),
  Box: (doc) => {
    const node = element(text(doc.props.as) || 'div', 'ads-box', renderChildren(doc));
    if (doc.props.padding !== undefined) node.style.padding = space(doc.props.padding);
    return node;
  },
  Heading: (doc) => {
    const size = text(doc.props.size) || 'medium';
    const tag = /^h[1-6]$/.test(text(doc.props.as)) ? text(doc.props.as) : headingElement[size] ?? 'h2';
    return element(tag, `ads-heading ads-heading-${size}`, renderChildren(doc));
  },
  Text: (doc) => {
    const node = element(text(doc.props.as) === 'span' ? 'span' : 'p', 'ads-text', renderChildren(doc));
    const weight = text(doc.props.weight);
    if (weight) node.classList.add(`ads-text-${weight}`);
    const size = text(doc.props.size);
    if (size) node.classList.add(`ads-text-size-${size}`);
    return node;
  },
  Link: (doc) => {
    const anchor = element('a', 'ads-link', renderChildren(doc)) as HTMLAnchorElement;
    anchor.href = text(doc.props.href);
    if (doc.props.openNewTab === true) {
      anchor.target = '_blank';
      anchor.rel = 'noopener noreferrer';
      anchor.append(visuallyHidden(' (opens new window)'));
    } else {
      // The product navigates itself, not the card's frame.
      anchor.target = '_top';
    }
    return anchor;
  },
  Lozenge: (doc) => {
    const appearance = text(doc.props.appearance) || 'default';
    const node = element('span', `ads-lozenge ads-lozenge-${appearance}${doc.props.isBold === true ? ' ads-lozenge-bold' : ''}`, renderChildren(doc));
    return node;
  },
  SectionMessage: (doc) => {
    const appearance = text(doc.props.appearance) || 'information';
    const children: Node[] = [];
    if (doc.props.title !== undefined) {
      const title = element('h2', 'ads-section-message-title');
      title.textContent = text(doc.props.title);
      children.push(title);
    }
    children.push(element('div', 'ads-section-message-body', renderChildren(doc)));
    const section = element('section', `ads-section-message ads-section-message-${appearance}`, children);
    if (appearance === 'error' || appearance === 'warning') section.setAttribute('role', 'alert');
    return section;
  },
  Spinner: (doc) => {
    const wrap = element('span', `ads-spinner ads-spinner-${text(doc.props.size) || 'medium'}`);
    wrap.setAttribute('role', 'img');
    wrap.setAttribute('aria-label', text(doc.props.label) || 'Loading');
    return wrap;
  },
};

function render(doc: ForgeDoc): Node {
  const draw = (components as Record<string, ((doc: ForgeDoc) => Node) | undefined>)[doc.type];
  if (draw) return draw(doc);
  const box = element('div', 'unsupported-component', renderChildren(doc));
  box.dataset.component = doc.type;
  box.prepend(document.createTextNode(`Unsupported UI Kit component ${doc.type}: `));
  return box;
}

function renderChildren(doc: ForgeDoc): Node[] {
  return doc.children.map(render);
}

function draw(forgeDoc: unknown): void {
  const root = document.getElementById('root');
  if (!root || !isForgeDoc(forgeDoc)) return;
  root.replaceChildren(render(forgeDoc));
  const win = window as unknown as BridgeWindow;
  win.__remediateCardDocs = (win.__remediateCardDocs ?? 0) + 1;
  root.dataset.renders = String(win.__remediateCardDocs);
}

const win = window as unknown as BridgeWindow;
const shim = win.__bridge;
if (!shim) throw new Error('The card host needs /forge/bridge-shim.js before this script.');
win.__bridge = {
  callBridge(command, data) {
    if (command === 'reconcile') {
      draw((data as { forgeDoc?: unknown } | undefined)?.forgeDoc);
      return Promise.resolve(undefined);
    }
    if (command === 'onError') console.error('The card failed', data);
    return shim.callBridge(command, data);
  },
};
