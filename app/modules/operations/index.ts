/** Operations: what the platform is doing (jobs, outbox, inbound events), for people and the CLI. */
export { getPlatformHealth, listJobs, retryJob, listInboundEvents, type PlatformHealth, type JobFilter } from "./operations.repository.server";
export { jobActivityByKey, type KeyedJobActivity, type KeyedJobRun } from "./job-activity.server";
export {
  connectionStatus,
  requestShopifyResync,
  webhookTopicLabel,
  DEFAULT_IMPORT_JOB,
  SHOPIFY_WEBHOOK_SOURCE,
  type ShopifyConnectionStatus,
  type ConnectionState,
  type ImportJobView,
  type ImportSummary,
  type JobProgress,
  type TopicStats,
  type ConnectionError,
  type ResyncRequest,
} from "./connections.server";
export { pruneOperationalRecords, PRUNE_JOB, RETENTION_DAYS, type PruneResult, type RetentionPolicy } from "./retention.server";
