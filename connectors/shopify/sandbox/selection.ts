/** Field collection over selection sets (fragments, inline fragments, @skip/@include), as the executor does it. */
import {
  getDirectiveValues,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isAbstractType,
  Kind,
  typeFromAST,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  type SelectionSetNode,
} from "graphql";

export interface SelectionCtx {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

export function selectionContext(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>): SelectionCtx {
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  return { schema, fragments, variables };
}

/** The fields selected on an object of `type`, by response key. */
export function collectAll(ctx: SelectionCtx, type: GraphQLObjectType, sets: readonly SelectionSetNode[]): Map<string, FieldNode[]> {
  const out = new Map<string, FieldNode[]>();
  for (const s of sets) collectInto(ctx, type, s, out, new Set());
  return out;
}

export function subSelections(nodes: readonly FieldNode[]): SelectionSetNode[] {
  return nodes.map((n) => n.selectionSet).filter((s): s is SelectionSetNode => !!s);
}

function collectInto(ctx: SelectionCtx, type: GraphQLObjectType, set: SelectionSetNode, out: Map<string, FieldNode[]>, visited: Set<string>) {
  for (const sel of set.selections) {
    if (!included(ctx, sel)) continue;
    if (sel.kind === Kind.FIELD) {
      const key = sel.alias?.value ?? sel.name.value;
      out.set(key, [...(out.get(key) ?? []), sel]);
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      if (!sel.typeCondition || applies(ctx, sel.typeCondition.name.value, type)) collectInto(ctx, type, sel.selectionSet, out, visited);
    } else {
      const name = sel.name.value;
      if (visited.has(name)) continue;
      visited.add(name);
      const frag = ctx.fragments[name];
      if (frag && applies(ctx, frag.typeCondition.name.value, type)) collectInto(ctx, type, frag.selectionSet, out, visited);
    }
  }
}

function applies(ctx: SelectionCtx, condition: string, type: GraphQLObjectType) {
  const cond = typeFromAST(ctx.schema, { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: condition } });
  if (!cond) return false;
  if (cond === type) return true;
  return isAbstractType(cond) && ctx.schema.isSubType(cond, type);
}

function included(ctx: SelectionCtx, node: Parameters<typeof getDirectiveValues>[1]) {
  const skip = getDirectiveValues(GraphQLSkipDirective, node, ctx.variables);
  if (skip?.if === true) return false;
  const include = getDirectiveValues(GraphQLIncludeDirective, node, ctx.variables);
  return include?.if !== false;
}
