/**
 * The ForgeDoc tree `@forge/react`'s reconciler sends over the bridge (`reconcile`), and how the
 * local card host lays out the UI Kit props it uses, after the Atlassian Design System (ADS).
 * Pure data and functions: the browser renderer (`renderer.ts`) and tests share them.
 */

export interface ForgeDoc {
  type: string;
  key?: string;
  props: Record<string, unknown>;
  children: ForgeDoc[];
}

/** ADS space tokens (`space.100` is 8px). */
export const spaceTokens: Record<string, string> = {
  'space.0': '0px',
  'space.025': '2px',
  'space.050': '4px',
  'space.075': '6px',
  'space.100': '8px',
  'space.150': '12px',
  'space.200': '16px',
  'space.250': '20px',
  'space.300': '24px',
  'space.400': '32px',
  'space.500': '40px',
  'space.600': '48px',
  'space.800': '64px',
  'space.1000': '80px',
};

export const space = (token: unknown): string => (typeof token === 'string' ? spaceTokens[token] ?? '0px' : '0px');

/** ADS `Heading`: the element each size renders as when `as` is not given. */
export const headingElement: Record<string, string> = {
  xxlarge: 'h1',
  xlarge: 'h1',
  large: 'h2',
  medium: 'h3',
  small: 'h4',
  xsmall: 'h5',
  xxsmall: 'h6',
};

/** Flex alignment for `alignBlock` / `alignInline` (start, center, end, baseline, stretch, space-between). */
export function flexAlign(value: unknown): string | undefined {
  switch (value) {
    case 'start':
      return 'flex-start';
    case 'end':
      return 'flex-end';
    case 'center':
    case 'baseline':
    case 'stretch':
    case 'space-between':
      return value;
    default:
      return undefined;
  }
}

/** The UI Kit components this host draws; anything else is shown as an unsupported box so a test notices. */
export const supportedComponents = [
  'Root', 'String', 'Stack', 'Inline', 'Box', 'Heading', 'Text', 'Link', 'Lozenge', 'SectionMessage', 'Spinner',
] as const;

export const isForgeDoc = (value: unknown): value is ForgeDoc =>
  typeof value === 'object' && value !== null && typeof (value as ForgeDoc).type === 'string'
  && Array.isArray((value as ForgeDoc).children) && typeof (value as ForgeDoc).props === 'object';
