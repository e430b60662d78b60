/** Routing: where each order ships from, by merchant rules, with a reason for every decision. */
export * from "./domain/index";
/** Builders and the demo network/profile (tests, benchmarks, the simulator). */
export * as routingFixtures from "./domain/fixtures";
export { simulateFiles, readOrdersJsonl, type SimulationReport } from "./simulator.server";
export {
  saveDraft,
  activateVersion,
  rollback,
  getActive,
  listVersions,
  purgeRoutingData,
  DEFAULT_PROFILE,
  ROUTING_TENANT_MODELS,
  type ProfileVersionView,
} from "./profiles.service.server";
export { loadRoutingNetwork, localTimeIn, demandTierOf, type LoadedNetwork, type NetworkOptions } from "./network.server";
export {
  takeSlotsTx,
  returnSlotsTx,
  recordDecisionTx,
  decisionsFor,
  latestDecisions,
  latestDecisionSequence,
  CapacityTaken,
  type Slot,
  type StoredDecision,
} from "./decisions.server";
export { requestUnroutableSweep, sweepConcurrencyKey, REROUTE_UNROUTABLE_JOB, SWEEP_WINDOW_MS, type SweepJob } from "./sweep.server";
