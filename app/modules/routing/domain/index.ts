/** The routing domain's pure surface: the rule model, routeOrder with its trace, and the cost model. */
export * from "./types";
export { routeOrder, unroutableDecision } from "./route";
export { evaluateConditions } from "./conditions";
export { filterCandidates, hasCoordinates, NO_COORDINATES } from "./candidates";
export { searchPlan, EXACT_LIMIT, BEAM_WIDTH, LOCAL_SEARCH_ROUNDS, MAX_PLANS_TRACED } from "./search";
export { DEFAULT_ZONE_TABLE, estimateShipment } from "./costs";
export { haversineKm } from "./geo";
export { closedReason } from "./hours";
export { simulate, aggregate, compareAggregates, type SimulationAggregates, type SimulationResult, type SimulateOptions } from "./simulate";
export { validateOrder, validateNetwork, validateProfile, locationProblem } from "./validate";
export { humanize } from "./explain";
export { routingRelevantChanges, sameUnroutableOutcome, groupReasons, ROUTING_LOCATION_FIELDS, type LocationRoutingSettings, type DecisionOutcomeKey } from "./sweep";
