/**
 * bulk_operations/finish → the finished bulk operation.
 * Sample: https://shopify.dev/docs/api/webhooks/latest?reference=toml#list-bulk_operations/finish
 * The payload has no result URL: the consumer asks the Admin API (`node(id:)` → BulkOperation.url).
 */
import { z } from "zod";
import { gid, parsePayload, timestamp } from "./schema";

const bulkPayload = z.object({
  admin_graphql_api_id: gid("BulkOperation"),
  status: z.string().min(1),
  type: z.string().nullish(),
  error_code: z.string().nullish(),
  created_at: timestamp.nullish(),
  completed_at: timestamp.nullish(),
});

export interface MappedBulkFinish {
  bulkOperationId: string;
  /** Lower-case as sent: completed | failed | canceled | expired … */
  status: string;
  type: string | null;
  errorCode: string | null;
  createdAt: Date | null;
  completedAt: Date | null;
}

export function mapBulkOperationFinish(raw: string | unknown, topic = "bulk_operations/finish"): MappedBulkFinish {
  const p = parsePayload(bulkPayload, raw, topic);
  return { bulkOperationId: p.admin_graphql_api_id, status: p.status.toLowerCase(), type: p.type ?? null, errorCode: p.error_code ?? null, createdAt: p.created_at ?? null, completedAt: p.completed_at ?? null };
}
