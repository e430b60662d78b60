import type { AppRuntime } from "#app/platform/runtime.server";
import { createInboundEventProcessor, PROCESS_INBOUND_EVENT } from "#app/platform/inbound-events.server";
import { complianceHandlers } from "#app/workflows/compliance.server";

/** Every job the app runs, by name.  Entry points only: they resolve dependencies and call workflows. */
export function registerJobs(runtime: AppRuntime) {
  const { db, logger, now } = runtime;
  const inboundHandlers = {
    ...complianceHandlers({ db, logger, now }),
  };
  const processInbound = createInboundEventProcessor(db, inboundHandlers, now);
  runtime.runner.register<{ eventId: string }>(PROCESS_INBOUND_EVENT, (job) => processInbound(job.data));
}
