/** The inventory domain's pure surface: its plain data types and the ATS arithmetic. */
export * from "./types";
export * from "./ats";
export * from "./push-status";
