/**
 * What an SQS failure means for the consumer — pure: the SDK's error (name, HTTP status, message)
 * in, a kind and a sentence a person can act on out.  No credentials are ever part of an SDK error,
 * but the message is cut short and single-lined before it is logged or shown anyway.
 *
 * SQS answers errors in the AWS JSON 1.0 protocol: `{"__type": "…#Name", "message": "…"}` plus
 * `x-amzn-query-error: AWS.SimpleQueueService.…;Sender`; the SDK puts the name in `error.name`
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/CommonErrors.html,
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-json-faqs.html).
 */
export type SqsFailureKind = "auth" | "queue" | "transient" | "aborted";

export interface SqsFailure {
  kind: SqsFailureKind;
  /** The SDK's error name (ExpiredTokenException, QueueDoesNotExist, …), or the network code. */
  name: string;
  status: number | null;
  message: string;
}

/** Credentials missing, expired, revoked or not allowed on the queue: a person must fix them; retrying only helps once they do. */
const AUTH = /^(ExpiredToken(Exception)?|InvalidClientTokenId|UnrecognizedClient(Exception)?|AccessDenied(Exception)?|InvalidSignature(Exception)?|SignatureDoesNotMatch|IncompleteSignature(Exception)?|MissingAuthenticationToken(Exception)?|InvalidSecurity|CredentialsProviderError|AuthFailure|RequestExpired|KMS\.AccessDeniedException)$/;
/** The queue itself is wrong: AMAZON_SQS_QUEUE_URL names none this account may read. */
const QUEUE = /^(QueueDoesNotExist|AWS\.SimpleQueueService\.NonExistentQueue|InvalidAddress|QueueDeletedRecently|AWS\.SimpleQueueService\.QueueDeletedRecently)$/;

export function oneLine(text: string, max = 300): string {
  const t = text.replace(/\s+/g, " ").trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

export function classifySqsError(e: unknown): SqsFailure {
  const err = (e ?? {}) as { name?: unknown; code?: unknown; message?: unknown; $metadata?: { httpStatusCode?: unknown } };
  const name = typeof err.name === "string" && err.name !== "Error" ? err.name : typeof err.code === "string" ? err.code : "Error";
  const status = typeof err.$metadata?.httpStatusCode === "number" ? err.$metadata.httpStatusCode : null;
  const message = oneLine(typeof err.message === "string" ? err.message : String(e));
  if (name === "AbortError") return { kind: "aborted", name, status, message };
  if (AUTH.test(name) || status === 401 || status === 403) return { kind: "auth", name, status, message };
  if (QUEUE.test(name)) return { kind: "queue", name, status, message };
  return { kind: "transient", name, status, message };
}

/** The sentence the connections page and the log show: what failed and what to do. */
export function describeSqsFailure(f: SqsFailure, queueUrl: string): string {
  switch (f.kind) {
    case "auth":
      return `AWS refused the credentials for ${queueUrl} (${f.name}: ${f.message}). Check the AWS credentials the hub runs with (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, AWS_PROFILE, or the instance/task role): they must be current and allow sqs:ReceiveMessage and sqs:DeleteMessage on this queue. Polling still takes Amazon orders in meanwhile.`;
    case "queue":
      return `The queue ${queueUrl} cannot be read (${f.name}: ${f.message}). Check AMAZON_SQS_QUEUE_URL and AMAZON_SQS_REGION. Polling still takes Amazon orders in meanwhile.`;
    case "aborted":
      return "stopped";
    default:
      return `SQS did not answer (${f.name}${f.status ? `, HTTP ${f.status}` : ""}: ${f.message}); retrying with backoff.`;
  }
}
