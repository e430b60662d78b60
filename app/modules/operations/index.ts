/** Operations: what the platform is doing (jobs, outbox, inbound events), for people and the CLI. */
export { getPlatformHealth, listJobs, retryJob, listInboundEvents, type PlatformHealth, type JobFilter } from "./operations.repository.server";
