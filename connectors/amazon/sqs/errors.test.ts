import { describe, expect, it } from "vitest";
import { classifySqsError, describeSqsFailure } from "./errors";

const sdkError = (name: string, message: string, status?: number) => Object.assign(new Error(message), { name, ...(status ? { $metadata: { httpStatusCode: status } } : {}) });

describe("classifySqsError", () => {
  it("sorts SQS's errors into what a person must fix (auth, queue) and what passes (transient)", () => {
    expect(classifySqsError(sdkError("ExpiredTokenException", "The security token included in the request is expired", 400))).toEqual({ kind: "auth", name: "ExpiredTokenException", status: 400, message: "The security token included in the request is expired" });
    expect(classifySqsError(sdkError("InvalidClientTokenId", "The security token included in the request is invalid.", 403)).kind).toBe("auth");
    expect(classifySqsError(sdkError("AccessDenied", "not authorized to perform: sqs:receivemessage", 403)).kind).toBe("auth");
    expect(classifySqsError(sdkError("CredentialsProviderError", "Could not load credentials from any providers")).kind).toBe("auth");
    // Any 403 is about who is asking, whatever its name.
    expect(classifySqsError(sdkError("SomethingNew", "Forbidden", 403)).kind).toBe("auth");
    expect(classifySqsError(sdkError("QueueDoesNotExist", "The specified queue does not exist.", 400)).kind).toBe("queue");
    expect(classifySqsError(sdkError("InternalFailure", "internal", 500))).toMatchObject({ kind: "transient", status: 500 });
    expect(classifySqsError(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }))).toMatchObject({ kind: "transient", name: "ECONNRESET", status: null });
    expect(classifySqsError(sdkError("AbortError", "This operation was aborted")).kind).toBe("aborted");
  });

  it("keeps messages to one line and bounded", () => {
    const f = classifySqsError(sdkError("InternalFailure", `line one\n  line two ${"x".repeat(400)}`, 500));
    expect(f.message).not.toContain("\n");
    expect(f.message.length).toBe(300);
  });
});

describe("describeSqsFailure", () => {
  const url = "https://sqs.us-east-1.amazonaws.com/111122223333/q";
  it("names what to check for each kind, and says polling continues", () => {
    expect(describeSqsFailure({ kind: "auth", name: "ExpiredTokenException", status: 400, message: "expired" }, url)).toBe(
      `AWS refused the credentials for ${url} (ExpiredTokenException: expired). Check the AWS credentials the hub runs with (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, AWS_PROFILE, or the instance/task role): they must be current and allow sqs:ReceiveMessage and sqs:DeleteMessage on this queue. Polling still takes Amazon orders in meanwhile.`,
    );
    expect(describeSqsFailure({ kind: "queue", name: "QueueDoesNotExist", status: 400, message: "gone" }, url)).toBe(`The queue ${url} cannot be read (QueueDoesNotExist: gone). Check AMAZON_SQS_QUEUE_URL and AMAZON_SQS_REGION. Polling still takes Amazon orders in meanwhile.`);
    expect(describeSqsFailure({ kind: "transient", name: "InternalFailure", status: 500, message: "oops" }, url)).toBe("SQS did not answer (InternalFailure, HTTP 500: oops); retrying with backoff.");
  });
});
