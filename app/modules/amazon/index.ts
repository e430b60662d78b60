/** Amazon: the seller accounts connected to a shop and the hub's state of each (issue 6). */
export { MARKETPLACES, REGIONS, REGION_NAMES, marketplaceById, type AmazonRegion, type Marketplace } from "./domain/marketplaces";
export { validateAccountInput, maskSecret, DEFAULT_FEATURES, type AmazonAccountInput, type AmazonFeatures, type FieldProblem } from "./domain/account";
export {
  AMAZON_TENANT_MODELS,
  listAmazonAccounts,
  saveAmazonAccount,
  disconnectAmazonAccount,
  markAmazonAccountError,
  amazonCredentials,
  connectedAmazonAccounts,
  parseFeatures,
  parseMarketplaces,
  purgeAmazonData,
  type AmazonAccountsDeps,
  type AmazonAccountView,
  type AmazonCredentials,
  type CredentialCheck,
} from "./accounts.service.server";
export { loadOrdersCheckpoint, saveOrdersCheckpoint, recordOrdersRunError, ordersSyncStatus, amazonOrdersOverview, type AmazonOrdersOverview, type StoredOrdersCheckpoint } from "./sync-state.server";
export {
  AMAZON_PUSH_JOB,
  AMAZON_POLL_FEED_JOB,
  AMAZON_PUSH_WINDOW_MS,
  FATAL_RETRY_DELAY_MS,
  TERMINAL_FEED_STATUSES,
  amazonAtsPublisher,
  publishAmazonQuantity,
  scheduleAmazonPush,
  pendingQuantities,
  recordPatchOutcome,
  startFeed,
  feedSubmitted,
  feedSubmissionFailed,
  feedStillRunning,
  feedRows,
  feedFinished,
  feedFailedAtAmazon,
  amazonListingsOverview,
  type AmazonAtsPublisher,
  type AmazonPublishOutcome,
  type AmazonListingsOverview,
  type ListingQuantityStatus,
  type StoredIssue,
} from "./listings.service.server";
export { FBA_STREAM, loadFbaWatermark, saveFbaWatermark, recordFbaRunError, applyFbaLevels, type FbaApplyReport } from "./fba.service.server";
export { recoverInterruptedFeeds } from "./listings.service.server";
