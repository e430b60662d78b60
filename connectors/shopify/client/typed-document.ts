/**
 * A GraphQL document as a plain string that also carries its result and variables types (from
 * codegen, generated/admin.generated.ts).  Strings keep the documents greppable and lets the
 * schema test read them straight from the source (template literals marked #graphql, no interpolation).
 */
export type TypedDocument<Result, Variables> = string & {
  readonly __result?: Result;
  readonly __variables?: Variables;
};

export type ResultOf<D> = D extends TypedDocument<infer R, unknown> ? R : unknown;
export type VariablesOf<D> = D extends TypedDocument<unknown, infer V> ? V : Record<string, unknown>;
