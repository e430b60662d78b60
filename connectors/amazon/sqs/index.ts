/** The SQS side of SP-API notifications (docs/decisions/015-amazon-notifications-sqs.md). */
export * from "./consumer";
export * from "./errors";
