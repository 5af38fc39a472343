import type { components, paths } from '@coderabbitai/bitbucket/cloud/openapi';

/**
 * Compile-time ties to Bitbucket Cloud's official OpenAPI description (the openapi-typescript
 * output shipped in `@coderabbitai/bitbucket`, a dev dependency: type imports only, nothing of it
 * reaches the bundle). A path the description does not have, a method a path does not offer, or a
 * field the client reads or sends that the schema does not name fails `tsc`.
 */

export type Schemas = components['schemas'];

/**
 * Paths the client calls that the bundled description predates: `GET /user/workspaces` replaced
 * `GET /workspaces` in CHANGE-3022 (see shared/reference/bitbucket-api.md §0).
 */
interface NewerPaths {
  '/user/workspaces': { get: { responses: unknown } };
}

type AllPaths = paths & NewerPaths;
export type HttpVerb = 'get' | 'post' | 'put' | 'delete';

/** The paths that offer `verb` (a missing operation is `?: never` in the generated types). */
export type PathFor<V extends HttpVerb> = {
  [P in keyof AllPaths]: AllPaths[P] extends { readonly [K in V]?: infer Op } ? ([NonNullable<Op>] extends [never] ? never : P) : never;
}[keyof AllPaths];

/** `{name}` placeholders of a path template. */
export type PathParams<P extends string> = P extends `${string}{${infer Name}}${infer Rest}` ? Name | PathParams<Rest> : never;

/** Drops index signatures (the generated types add `Record<string, unknown>` to every object). */
type Named<T> = { [K in keyof T as string extends K ? never : number extends K ? never : K]: T[K] };

/**
 * The generated types build a subtype as `{type} & Omit<Base, 'type'> & {...}`; because every
 * object also carries an index signature, that `Omit` drops the base's named fields. Put them back.
 */
interface Bases {
  user: Schemas['account'];
  team: Schemas['account'];
  app_user: Schemas['account'];
  commit: Schemas['base_commit'];
  pullrequest_comment: Schemas['comment'];
}
type WithBase<T> = T extends { readonly type: infer N } ? (N extends keyof Bases ? T & Bases[N] : T) : T;

type Unarray<T> = T extends readonly (infer E)[] ? E : T;
type Obj<T> = WithBase<NonNullable<Unarray<NonNullable<T>>>>;

/**
 * `never` unless every key of `Ours` (recursively, through arrays and optional fields) is a named
 * field of the API type `Api`. Our zod schemas are narrower than the spec (fewer fields, some
 * required), so only field names are compared, not optionality.
 */
export type UnknownFields<Ours, Api, Where extends string = ''> = {
  [K in keyof Named<Ours> & string]: K extends keyof Named<Obj<Api>>
    ? unknown extends Named<Ours>[K]
      ? never
      : Obj<Named<Ours>[K]> extends string | number | boolean | null | undefined
        ? never
        : UnknownFields<Obj<Named<Ours>[K]>, Named<Obj<Api>>[K], `${Where}${K}.`>
    : `${Where}${K}`;
}[keyof Named<Ours> & string];

/** Fails to compile, naming the stray field, when `Ours` reads a field `Api` does not have. */
export type AssertKnownFields<Ours, Api> = [UnknownFields<Ours, Api>] extends [never] ? true : { unknownField: UnknownFields<Ours, Api> };

/** Wrap an assertion in this: a result other than `true` is a compile error where it is written. */
export type Expect<T extends true> = T;

/** The page envelope every listing answers with. */
export type Page<T> = { values?: readonly T[]; next?: string; pagelen?: number; size?: number; page?: number };

/** The JSON request body an operation takes. */
export type RequestBody<P extends keyof paths, V extends HttpVerb> = paths[P] extends {
  readonly [K in V]?: { readonly requestBody?: { readonly content: { readonly 'application/json': infer B } } };
}
  ? B
  : never;
