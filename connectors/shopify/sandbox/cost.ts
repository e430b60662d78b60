/**
 * Shopify's calculated query cost, computed the documented way.
 *
 * Sources:
 * - https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits (and /docs/api/usage/limits):
 *   "Every field in the schema has an integer cost value … The cost of a query is the maximum of
 *   possible fields selected." Default costs: Scalar 0, Enum 0, Object 1, Interface and Union
 *   "Maximum of possible selections", Connection "Sized by first and last arguments", Mutation 10.
 *   "A single query may not exceed a cost of 1,000 points" (MAX_COST_EXCEEDED, checked on the
 *   requested cost). Before execution the bucket must hold the requested cost; afterwards the
 *   difference between requested and actual cost is refunded.
 * - https://shopify.engineering/rate-limiting-graphql-apis-calculating-query-complexity (the design
 *   of that model): a connection costs two points plus the objects it returns, so
 *   `products(first: 10) { edges { node { id } } }` requests 2 + 10 × 1 = 12 and costs
 *   2 + (rows returned) × 1 once executed; nested connections multiply.
 *
 * How the sandbox reads the rules where the docs give no formula (kept conservative):
 * - connection = 2 + (first ?? last) × cost of one node; `edges`, `cursor` and `pageInfo` add
 *   nothing beyond the 2 (the edge wrapper is not an extra object); selecting both `edges.node`
 *   and `nodes` pays for both;
 * - a plain list of objects (e.g. `quantities(names: [...])`, `nodes(ids: [...])`) is sized by the
 *   length of its list argument, else counts as one object;
 * - a mutation field costs 10; the objects of its payload are included in those 10, connections
 *   inside a payload are still sized;
 * - actual cost: a connection pays 2 + the cost of the rows it returned, an object field that
 *   resolved to null still pays its own point (Shopify reports actualQueryCost 1 for
 *   `product(id:)` → null with nested selections), mutations pay their requested cost.
 * Known divergence: Shopify has been observed to report lower requested costs for large `first`
 * values than this linear rule (community.shopify.dev thread 23101: first: 250 → 25 points); the
 * sandbox stays with the documented, stricter linear rule, so a client that fits here fits there.
 */
import {
  getArgumentValues,
  getNamedType,
  getNullableType,
  isAbstractType,
  isLeafType,
  isListType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import { collectAll, selectionContext as context, type SelectionCtx as Ctx } from "./selection";

export const MUTATION_COST = 10;
export const CONNECTION_OVERHEAD = 2;

export function findOperation(document: DocumentNode, operationName?: string | null): OperationDefinitionNode | undefined {
  const ops = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  return operationName ? ops.find((o) => o.name?.value === operationName) : ops.length === 1 ? ops[0] : undefined;
}

/** Whether a named type is a Relay connection (has edges or nodes, and pageInfo). */
export function isConnectionType(t: GraphQLNamedType): t is GraphQLObjectType {
  if (!isObjectType(t) || !t.name.endsWith("Connection")) return false;
  const f = t.getFields();
  return !!f.pageInfo && (!!f.edges || !!f.nodes);
}

/**
 * The requested cost of an operation (before execution).  `variables` must be the coerced
 * variable values of the operation.
 */
export function requestedQueryCost(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown> = {}): number {
  const ctx = context(schema, document, variables);
  const root = operation.operation === "mutation" ? schema.getMutationType() : operation.operation === "subscription" ? schema.getSubscriptionType() : schema.getQueryType();
  if (!root) return 0;
  const fields = collectAll(ctx, root, [operation.selectionSet]);
  let total = 0;
  for (const nodes of fields.values()) {
    const def = fieldDef(root, nodes);
    if (!def) continue;
    if (operation.operation === "mutation") total += MUTATION_COST + fieldChildrenCost(ctx, def, nodes, true);
    else total += fieldCost(ctx, def, nodes, false);
  }
  return total;
}

/** The actual cost of an executed operation, from its result data. */
export function actualQueryCost(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>, data: unknown): number {
  if (operation.operation === "mutation") return requestedQueryCost(schema, document, operation, variables);
  const ctx = context(schema, document, variables);
  const root = schema.getQueryType();
  if (!root || !data || typeof data !== "object") return 0;
  return objectActual(ctx, root, [operation.selectionSet], data as Record<string, unknown>);
}

// ------------------------------------------------------------------ requested

function fieldDef(parent: GraphQLObjectType, nodes: FieldNode[]): GraphQLField<unknown, unknown> | undefined {
  const name = nodes[0]!.name.value;
  if (name.startsWith("__")) return undefined;
  return parent.getFields()[name];
}

function args(ctx: Ctx, def: GraphQLField<unknown, unknown>, node: FieldNode): Record<string, unknown> {
  try {
    return getArgumentValues(def, node, ctx.variables);
  } catch {
    return {};
  }
}

function pageSize(a: Record<string, unknown>): number {
  const v = typeof a.first === "number" ? a.first : typeof a.last === "number" ? a.last : 0;
  return Math.max(0, v);
}

function listSize(a: Record<string, unknown>): number {
  for (const v of Object.values(a)) if (Array.isArray(v)) return Math.max(1, v.length);
  return 1;
}

/** Cost of one field selection: its own cost plus its children's. */
function fieldCost(ctx: Ctx, def: GraphQLField<unknown, unknown>, nodes: FieldNode[], inPayload: boolean): number {
  const named = getNamedType(def.type);
  if (isLeafType(named)) return 0;
  const a = args(ctx, def, nodes[0]!);
  if (isConnectionType(named)) return CONNECTION_OVERHEAD + pageSize(a) * connectionNodeCost(ctx, named, nodes);
  const size = isListType(getNullableType(def.type)) ? listSize(a) : 1;
  return size * ((inPayload ? 0 : 1) + fieldChildrenCost(ctx, def, nodes, inPayload));
}

/** Cost of the selections under a field's value (max over possible types for abstract types). */
function fieldChildrenCost(ctx: Ctx, def: GraphQLField<unknown, unknown>, nodes: FieldNode[], inPayload: boolean): number {
  const named = getNamedType(def.type);
  const sets = nodes.map((n) => n.selectionSet).filter((s): s is SelectionSetNode => !!s);
  if (isConnectionType(named) && !inPayload) return connectionNodeCost(ctx, named, nodes);
  return selectionCost(ctx, named, sets, inPayload);
}

function selectionCost(ctx: Ctx, type: GraphQLNamedType, sets: readonly SelectionSetNode[], inPayload: boolean): number {
  if (isAbstractType(type)) {
    let max = 0;
    for (const t of ctx.schema.getPossibleTypes(type)) max = Math.max(max, objectCost(ctx, t, sets, inPayload));
    return max;
  }
  if (isObjectType(type)) return objectCost(ctx, type, sets, inPayload);
  return 0;
}

function objectCost(ctx: Ctx, type: GraphQLObjectType, sets: readonly SelectionSetNode[], inPayload: boolean): number {
  let total = 0;
  for (const nodes of collectAll(ctx, type, sets).values()) {
    const def = fieldDef(type, nodes);
    if (def) total += fieldCost(ctx, def, nodes, inPayload);
  }
  return total;
}

/** Cost of one row of a connection: its `edges.node` and/or `nodes` selections (objects, 1 each). */
function connectionNodeCost(ctx: Ctx, conn: GraphQLObjectType, nodes: FieldNode[]): number {
  const sets = nodes.map((n) => n.selectionSet).filter((s): s is SelectionSetNode => !!s);
  let total = 0;
  for (const sub of collectAll(ctx, conn, sets).values()) {
    const name = sub[0]!.name.value;
    const def = conn.getFields()[name];
    if (!def) continue;
    const subSets = sub.map((n) => n.selectionSet).filter((s): s is SelectionSetNode => !!s);
    if (name === "nodes") total += 1 + selectionCost(ctx, getNamedType(def.type), subSets, false);
    if (name === "edges") {
      const edge = getNamedType(def.type);
      if (!isObjectType(edge)) continue;
      for (const edgeField of collectAll(ctx, edge, subSets).values()) {
        if (edgeField[0]!.name.value !== "node") continue;
        const nodeDef = edge.getFields().node!;
        const nodeSets = edgeField.map((n) => n.selectionSet).filter((s): s is SelectionSetNode => !!s);
        total += 1 + selectionCost(ctx, getNamedType(nodeDef.type), nodeSets, false);
      }
    }
  }
  return total;
}

// ------------------------------------------------------------------ actual

type Obj = Record<string, unknown>;

function objectActual(ctx: Ctx, type: GraphQLObjectType, sets: readonly SelectionSetNode[], value: Obj): number {
  let total = 0;
  for (const [key, nodes] of collectAll(ctx, type, sets)) {
    const def = fieldDef(type, nodes);
    if (def) total += fieldActual(ctx, def, nodes, value[key]);
  }
  return total;
}

function valueActual(ctx: Ctx, type: GraphQLNamedType, sets: readonly SelectionSetNode[], value: unknown): number {
  if (!value || typeof value !== "object") return 0;
  if (isAbstractType(type)) {
    const typename = (value as Obj).__typename;
    const concrete = typeof typename === "string" ? ctx.schema.getType(typename) : undefined;
    if (concrete && isObjectType(concrete)) return objectActual(ctx, concrete, sets, value as Obj);
    let max = 0;
    for (const t of ctx.schema.getPossibleTypes(type)) max = Math.max(max, objectActual(ctx, t, sets, value as Obj));
    return max;
  }
  return isObjectType(type) ? objectActual(ctx, type, sets, value as Obj) : 0;
}

function fieldActual(ctx: Ctx, def: GraphQLField<unknown, unknown>, nodes: FieldNode[], value: unknown): number {
  const named = getNamedType(def.type);
  if (isLeafType(named) || value === undefined) return 0;
  const sets = nodes.map((n) => n.selectionSet).filter((s): s is SelectionSetNode => !!s);
  if (isConnectionType(named)) {
    if (!value || typeof value !== "object") return 0;
    let total = CONNECTION_OVERHEAD;
    for (const [key, sub] of collectAll(ctx, named, sets)) {
      const name = sub[0]!.name.value;
      const subSets = sub.map((n) => n.selectionSet).filter((s): s is SelectionSetNode => !!s);
      const rows = (value as Obj)[key];
      if (!Array.isArray(rows)) continue;
      if (name === "nodes") {
        const nodeType = getNamedType(named.getFields().nodes!.type);
        for (const row of rows) if (row) total += 1 + valueActual(ctx, nodeType, subSets, row);
      }
      if (name === "edges") {
        const edge = getNamedType(named.getFields().edges!.type);
        if (!isObjectType(edge)) continue;
        const nodeType = getNamedType(edge.getFields().node!.type);
        for (const row of rows) {
          if (!row || typeof row !== "object") continue;
          for (const [edgeKey, edgeField] of collectAll(ctx, edge, subSets)) {
            if (edgeField[0]!.name.value !== "node") continue;
            const nodeSets = edgeField.map((n) => n.selectionSet).filter((s): s is SelectionSetNode => !!s);
            const node = (row as Obj)[edgeKey];
            if (node) total += 1 + valueActual(ctx, nodeType, nodeSets, node);
          }
        }
      }
    }
    return total;
  }
  if (Array.isArray(value)) {
    let total = 0;
    for (const row of value) if (row) total += 1 + valueActual(ctx, named, sets, row);
    return total;
  }
  // An object field costs its point even when it resolved to null.
  return 1 + valueActual(ctx, named, sets, value);
}
