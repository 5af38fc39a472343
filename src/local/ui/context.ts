import { z } from 'zod';

/** What the Forge product would hand a Custom UI page as its context (the part this app reads). */
export interface LocalForgeContext {
  accountId: string;
  /** `{uuid}`, braces included, as Bitbucket sends it. */
  workspaceId: string;
  cloudId?: string;
  moduleKey: string;
  localId: string;
  environmentType: 'DEVELOPMENT';
  locale: 'en-US';
  timezone: 'UTC';
  extension: {
    type: string;
    workspace?: { uuid: string };
    repository?: { uuid: string; slug?: string };
  };
}

const contextSchema = z.object({
  accountId: z.string().min(1).max(200),
  workspaceId: z.string().min(1).max(200),
  cloudId: z.string().max(200).optional(),
  moduleKey: z.string().min(1).max(200),
  localId: z.string().min(1).max(500),
  environmentType: z.literal('DEVELOPMENT'),
  locale: z.literal('en-US'),
  timezone: z.literal('UTC'),
  extension: z.object({
    type: z.string().min(1).max(200),
    workspace: z.object({ uuid: z.string().min(1).max(200) }).optional(),
    repository: z.object({ uuid: z.string().min(1).max(200), slug: z.string().max(200).optional() }).optional(),
  }),
}) satisfies z.ZodType<LocalForgeContext>;

/** The iframe's `?ctx=` value: base64url of the context JSON. */
export function encodeContext(context: LocalForgeContext): string {
  return Buffer.from(JSON.stringify(context), 'utf8').toString('base64url');
}

/** Reads a `?ctx=` value back; undefined when it is missing, not base64url JSON, or not a context. */
export function decodeContext(value: string | null): LocalForgeContext | undefined {
  if (value === null || value.length === 0 || value.length > 8000 || !/^[A-Za-z0-9_-]+$/.test(value)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const parsed = contextSchema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

/** JSON that is safe inside an inline `<script>`: no `</script>`, no line separators. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
