/**
 * Bulk query operations (https://shopify.dev/docs/api/usage/bulk-operations/queries): the query is
 * checked like Shopify does (at least one connection, at most five, nested at most two levels below
 * the root, no top-level node/nodes, one query at a time per shop), then executed asynchronously
 * over the store — the root connection page by page, nested connections whole — and written as
 * JSONL through a write stream (bounded memory for 100 000+ rows).  Each line is one object;
 * objects of nested connections are lines of their own carrying `__parentId` (the id of the
 * enclosing connection node), written right after their parent with groupObjects, after the page's
 * parents without it.  Status CREATED → RUNNING → COMPLETED with objectCount, rootObjectCount,
 * fileSize and url (null when there is no data), then the bulk_operations/finish webhook.
 */
import fs from "node:fs";
import { once } from "node:events";
import path from "node:path";
import {
  execute,
  getNamedType,
  isAbstractType,
  isLeafType,
  isObjectType,
  Kind,
  parse,
  TypeInfo,
  validate,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import type { BulkPaging } from "./connection";
import { findOperation, isConnectionType } from "./cost";
import { fieldResolver, typeResolver, unsupportedFields, type ResolverContext } from "./resolvers";
import { collectAll, selectionContext, subSelections, type SelectionCtx } from "./selection";
import type { BulkRec, SandboxStore, UserError } from "./store";
import type { SandboxLogger } from "./types";
import { gid } from "./util";

export interface BulkRunnerOptions {
  schema: GraphQLSchema;
  store: SandboxStore;
  dir: string;
  baseUrl: () => string;
  pageSize: number;
  startDelayMs: number;
  logger: SandboxLogger;
  context: () => Omit<ResolverContext, "bulk">;
}

type Obj = Record<string, unknown>;

export class BulkRunner {
  private readonly running = new Set<Promise<void>>();
  private readonly documents = new Map<number, DocumentNode>();
  private stopped = false;

  constructor(private readonly o: BulkRunnerOptions) {}

  /** bulkOperationRunQuery: validates, creates the operation (CREATED) and starts it. */
  start(query: string, groupObjects: boolean): { bulkOperation: BulkRec | null; userErrors: UserError[] } {
    const invalid = (message: string) => ({ bulkOperation: null, userErrors: [{ field: ["query"], message, code: "INVALID" }] });
    let document: DocumentNode;
    try {
      document = parse(query);
    } catch (e) {
      return invalid(`Invalid bulk query: ${(e as Error).message}`);
    }
    const errors = validate(this.o.schema, document);
    if (errors.length) return invalid(`Invalid bulk query: ${errors.map((e) => e.message).join("; ")}`);
    const unsupported = unsupportedFields(this.o.schema, document);
    if (unsupported.length) return invalid(unsupported.map((e) => e.message).join("; "));
    const op = findOperation(document);
    if (!op || op.operation !== "query") return invalid("Bulk queries must contain exactly one query operation.");
    if (op.variableDefinitions?.length) return invalid("Bulk queries cannot use variables.");
    const shape = this.checkShape(document, op);
    if (shape) return invalid(shape);
    const active = this.o.store.bulkOperations.find((b) => b.type === "QUERY" && ["CREATED", "RUNNING", "CANCELING"].includes(b.status));
    if (active) {
      return { bulkOperation: null, userErrors: [{ field: null, message: `A bulk query operation for this app and shop is already in progress: ${gid("BulkOperation", active.n)}.`, code: "OPERATION_IN_PROGRESS" }] };
    }
    const bulkOperation = this.o.store.newBulkOperation(query, groupObjects);
    this.documents.set(bulkOperation.n, withNodeIds(this.o.schema, document));
    const run = new Promise<void>((resolve) => setTimeout(resolve, this.o.startDelayMs))
      .then(() => this.run(bulkOperation))
      .catch((e: unknown) => {
        bulkOperation.status = "FAILED";
        bulkOperation.errorCode = "INTERNAL_SERVER_ERROR";
        bulkOperation.completedAt = this.o.store.now();
        this.o.logger.warn(`bulk operation ${bulkOperation.n} failed`, { error: (e as Error).message });
        this.o.store.finishBulk(bulkOperation);
      });
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
    return { bulkOperation, userErrors: [] };
  }

  cancel(op: BulkRec) {
    op.status = "CANCELING";
  }

  async stop() {
    this.stopped = true;
    await Promise.allSettled([...this.running]);
  }

  /** At most five connections, nested at most two levels below the root, one root connection. */
  private checkShape(document: DocumentNode, op: OperationDefinitionNode): string | null {
    const ctx = selectionContext(this.o.schema, document, {});
    const root = this.o.schema.getQueryType()!;
    const top = [...collectAll(ctx, root, [op.selectionSet])].filter(([, nodes]) => !nodes[0]!.name.value.startsWith("__"));
    if (top.length !== 1) return "Bulk queries must select exactly one top-level field (a connection) in the Shopify sandbox.";
    const [, nodes] = top[0]!;
    const name = nodes[0]!.name.value;
    if (name === "node" || name === "nodes") return "The top-level node and nodes fields can't be used in bulk queries.";
    const def = root.getFields()[name]!;
    if (!isConnectionType(getNamedType(def.type))) return "Bulk queries must have a connection at the top level in the Shopify sandbox.";
    let connections = 0;
    let deepest = 0;
    const walk = (type: GraphQLNamedType, sets: readonly SelectionSetNode[], depth: number) => {
      const types: readonly GraphQLObjectType[] = isAbstractType(type) ? this.o.schema.getPossibleTypes(type) : isObjectType(type) ? [type] : [];
      for (const t of types) {
        for (const fieldNodes of collectAll(ctx, t, sets).values()) {
          const f = t.getFields()[fieldNodes[0]!.name.value];
          if (!f) continue;
          const named = getNamedType(f.type);
          if (isLeafType(named)) continue;
          if (isConnectionType(named)) {
            connections++;
            deepest = Math.max(deepest, depth + 1);
            const node = connectionNode(ctx, named, fieldNodes);
            if (node) walk(node.type, node.sets, depth + 1);
          } else walk(named, subSelections(fieldNodes), depth);
        }
      }
    };
    walk(root, [op.selectionSet], -1);
    if (connections > 5) return `Bulk queries cannot contain more than 5 connections (found ${connections}).`;
    if (deepest > 2) return "Bulk queries cannot contain connections nested more than 2 levels deep.";
    return null;
  }

  private async run(op: BulkRec) {
    if (this.stopped || op.status !== "CREATED") return;
    const document = this.documents.get(op.n)!;
    const operation = findOperation(document)!;
    const ctx = selectionContext(this.o.schema, document, {});
    const root = this.o.schema.getQueryType()!;
    const [rootKey, rootNodes] = [...collectAll(ctx, root, [operation.selectionSet])].find(([, n]) => !n[0]!.name.value.startsWith("__"))!;
    const conn = getNamedType(root.getFields()[rootNodes[0]!.name.value]!.type) as GraphQLObjectType;
    const node = connectionNode(ctx, conn, rootNodes)!;
    const plan = buildPlan(ctx, node.type, node.sets);
    op.status = "RUNNING";
    fs.mkdirSync(this.o.dir, { recursive: true });
    const file = path.join(this.o.dir, `bulk-${op.n}.jsonl`);
    const out = fs.createWriteStream(file);
    let bytes = 0;
    const write = async (line: Obj) => {
      const s = `${JSON.stringify(line)}\n`;
      bytes += Buffer.byteLength(s);
      op.objectCount++;
      if (!out.write(s)) await once(out, "drain");
    };
    const state: BulkPaging = { window: { first: this.o.pageSize, after: null } };
    const resolve = fieldResolver(this.o.schema);
    try {
      for (;;) {
        if (this.stopped || cancelled(op)) break;
        delete state.last;
        const result = await execute({
          schema: this.o.schema,
          document,
          contextValue: { ...this.o.context(), bulk: state },
          fieldResolver: resolve,
          typeResolver,
        });
        if (result.errors?.length) throw new Error(result.errors.map((e) => e.message).join("; "));
        const page = rows((result.data as Obj)[rootKey]);
        const deferred: Child[] = [];
        for (const row of page) {
          op.rootObjectCount++;
          await emit(plan, row, null, op.groupObjects, write, deferred);
        }
        for (let i = 0; i < deferred.length; i++) {
          const c = deferred[i]!;
          await emit(c.plan, c.value, c.parentId, false, write, deferred);
        }
        const info = lastPage(state)?.pageInfo;
        if (!info?.hasNextPage || !info.endCursor) break;
        state.window = { first: this.o.pageSize, after: info.endCursor };
        await new Promise((r) => setImmediate(r));
      }
    } finally {
      out.end();
      await once(out, "close");
    }
    op.completedAt = this.o.store.now();
    op.filePath = file;
    if (cancelled(op) || this.stopped) {
      op.status = "CANCELED";
    } else {
      op.status = "COMPLETED";
      op.fileSize = bytes;
      op.url = op.objectCount ? `${this.o.baseUrl()}/bulk/${op.n}.jsonl` : null;
    }
    this.o.store.finishBulk(op);
  }
}

const cancelled = (op: BulkRec) => op.status === "CANCELING";
const lastPage = (state: BulkPaging) => state.last;

interface Child {
  plan: Plan;
  value: Obj;
  parentId: string | null;
}

/**
 * How to turn one executed object into a JSONL line, built once per operation from the query:
 * which keys to copy, which nested objects to walk, which connections become child lines.
 */
interface Plan {
  fields: ({ key: string; kind: "copy" } | { key: string; kind: "object"; plan: Plan } | { key: string; kind: "connection"; node: Plan })[] | null;
}

function buildPlan(ctx: SelectionCtx, type: GraphQLNamedType, sets: readonly SelectionSetNode[]): Plan {
  if (!isObjectType(type)) return { fields: null };
  const fields: NonNullable<Plan["fields"]> = [];
  for (const [key, fieldNodes] of collectAll(ctx, type, sets)) {
    const def = type.getFields()[fieldNodes[0]!.name.value];
    const named = def ? getNamedType(def.type) : null;
    if (!named || isLeafType(named)) fields.push({ key, kind: "copy" });
    else if (isConnectionType(named)) {
      const node = connectionNode(ctx, named, fieldNodes);
      if (node) fields.push({ key, kind: "connection", node: buildPlan(ctx, node.type, node.sets) });
    } else fields.push({ key, kind: "object", plan: buildPlan(ctx, named, subSelections(fieldNodes)) });
  }
  return { fields };
}

/** Writes one object line, then its nested connection objects (right away when grouped, else later). */
async function emit(plan: Plan, value: Obj, parentId: string | null, grouped: boolean, write: (o: Obj) => Promise<void>, deferred: Child[]) {
  const children: Child[] = [];
  const line = apply(plan, value, typeof value.id === "string" ? value.id : null, children);
  if (parentId) line.__parentId = parentId;
  await write(line);
  if (grouped) for (const c of children) await emit(c.plan, c.value, c.parentId, true, write, deferred);
  else deferred.push(...children);
}

/** A copy of `value` without its connection fields; their rows go to `children`, pointing at `nodeId`. */
function apply(plan: Plan, value: Obj, nodeId: string | null, children: Child[]): Obj {
  if (!plan.fields) return { ...value };
  const out: Obj = {};
  for (const f of plan.fields) {
    if (!(f.key in value)) continue;
    const v = value[f.key];
    if (f.kind === "connection") {
      for (const row of rows(v)) children.push({ plan: f.node, value: row, parentId: nodeId });
    } else if (f.kind === "copy" || v === null || typeof v !== "object") {
      out[f.key] = v;
    } else {
      out[f.key] = Array.isArray(v) ? v.map((x) => (x && typeof x === "object" ? apply(f.plan, x as Obj, nodeId, children) : x)) : apply(f.plan, v as Obj, nodeId, children);
    }
  }
  return out;
}

function rows(conn: unknown): Obj[] {
  if (!conn || typeof conn !== "object") return [];
  const c = conn as { edges?: { node?: Obj }[]; nodes?: Obj[] };
  if (Array.isArray(c.edges)) return c.edges.map((e) => e.node).filter((n): n is Obj => !!n);
  return Array.isArray(c.nodes) ? c.nodes : [];
}

/** The node type of a connection and the selections made on it (via edges.node and/or nodes). */
function connectionNode(ctx: SelectionCtx, conn: GraphQLObjectType, fieldNodes: readonly FieldNode[]): { type: GraphQLNamedType; sets: SelectionSetNode[] } | null {
  const sets: SelectionSetNode[] = [];
  let type: GraphQLNamedType | null = null;
  for (const sub of collectAll(ctx, conn, subSelections(fieldNodes)).values()) {
    const name = sub[0]!.name.value;
    if (name === "nodes") {
      type = getNamedType(conn.getFields().nodes!.type);
      sets.push(...subSelections(sub));
    } else if (name === "edges") {
      const edge = getNamedType(conn.getFields().edges!.type) as GraphQLObjectType;
      for (const edgeField of collectAll(ctx, edge, subSelections(sub)).values()) {
        if (edgeField[0]!.name.value !== "node") continue;
        type = getNamedType(edge.getFields().node!.type);
        sets.push(...subSelections(edgeField));
      }
    }
  }
  return type ? { type, sets } : null;
}

/**
 * Adds `id` to the node selection of every connection whose node type has one: each JSONL line
 * needs its id, and children point to it with `__parentId`.
 */
function withNodeIds(schema: GraphQLSchema, document: DocumentNode): DocumentNode {
  const typeInfo = new TypeInfo(schema);
  const idField: FieldNode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: "id" } };
  return visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field: {
        leave(node) {
          const parent = typeInfo.getParentType();
          const isNode = (node.name.value === "node" && parent?.name.endsWith("Edge")) || (node.name.value === "nodes" && parent && isConnectionType(parent as GraphQLNamedType));
          if (!isNode || !node.selectionSet) return undefined;
          const type = getNamedType(typeInfo.getType());
          if (!type || !("getFields" in type) || !(type as GraphQLObjectType).getFields().id) return undefined;
          if (node.selectionSet.selections.some((s) => s.kind === Kind.FIELD && s.name.value === "id" && !s.alias)) return undefined;
          return { ...node, selectionSet: { ...node.selectionSet, selections: [idField, ...node.selectionSet.selections] } };
        },
      },
    }),
  );
}
