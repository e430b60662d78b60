import { describe, expect, it } from "vitest";
import { createSecretBox, generateKeySpec, parseKeyring, type SecretKey } from "#app/platform/crypto.server";
import { DomainError } from "#app/platform/errors";

const KEY1_B64 = Buffer.alloc(32, 1).toString("base64");
const KEY2_B64 = Buffer.alloc(32, 2).toString("base64");
const k1: SecretKey = { id: "k1", key: Buffer.alloc(32, 1) };
const k2: SecretKey = { id: "k2", key: Buffer.alloc(32, 2) };

/** Run fn and return what it threw (fails the test when it does not throw). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error("expected the call to throw");
}

/** Flip the first byte of one base64url part of a ciphertext. */
function tamper(ciphertext: string, partIndex: number): string {
  const parts = ciphertext.split(".");
  const bytes = Buffer.from(parts[partIndex] ?? "", "base64url");
  bytes[0] = (bytes[0] ?? 0) ^ 0xff;
  parts[partIndex] = bytes.toString("base64url");
  return parts.join(".");
}

describe("createSecretBox", () => {
  it("round-trips a plaintext", () => {
    const box = createSecretBox([k1]);
    expect(box.decrypt(box.encrypt("shpat_0123456789abcdef"))).toBe("shpat_0123456789abcdef");
  });

  it("round-trips an empty string and non-ASCII text", () => {
    const box = createSecretBox([k1]);
    expect(box.decrypt(box.encrypt(""))).toBe("");
    expect(box.decrypt(box.encrypt("Grüße – 東京 🚚"))).toBe("Grüße – 東京 🚚");
  });

  it('writes "v1.<kid>.<iv>.<tag>.<data>" with a 12-byte IV and 16-byte tag in base64url', () => {
    const box = createSecretBox([k1]);
    const ct = box.encrypt("hello");
    expect(ct).toMatch(/^v1\.k1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const [prefix, kid, iv, tag, data] = ct.split(".");
    expect(prefix).toBe("v1");
    expect(kid).toBe("k1");
    expect(Buffer.from(iv ?? "", "base64url").length).toBe(12);
    expect(Buffer.from(tag ?? "", "base64url").length).toBe(16);
    // GCM is a stream mode: ciphertext has the plaintext's length, and is not the plaintext.
    expect(Buffer.from(data ?? "", "base64url").length).toBe(5);
    expect(Buffer.from(data ?? "", "base64url").toString("utf8")).not.toBe("hello");
  });

  it("uses a random IV: two encryptions of the same plaintext differ", () => {
    const box = createSecretBox([k1]);
    const a = box.encrypt("same secret");
    const b = box.encrypt("same secret");
    expect(a).not.toBe(b);
    expect(a.split(".")[2]).not.toBe(b.split(".")[2]);
    expect(box.decrypt(a)).toBe("same secret");
    expect(box.decrypt(b)).toBe("same secret");
  });

  it("round-trips with matching associated data", () => {
    const box = createSecretBox([k1]);
    const ct = box.encrypt("token", "session:offline_shop-a.myshopify.com");
    expect(box.decrypt(ct, "session:offline_shop-a.myshopify.com")).toBe("token");
  });

  it("rejects a ciphertext moved to another owner (associated data mismatch) with INVALID", () => {
    const box = createSecretBox([k1]);
    const ct = box.encrypt("token", "session:offline_shop-a.myshopify.com");
    const err = thrown(() => box.decrypt(ct, "session:offline_shop-b.myshopify.com"));
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).kind).toBe("INVALID");
    expect((err as DomainError).message).toBe("ciphertext failed authentication (wrong key, owner or tampered data)");
  });

  it("rejects decrypting without the associated data it was written with, and vice versa", () => {
    const box = createSecretBox([k1]);
    const bound = box.encrypt("token", "session:1");
    const unbound = box.encrypt("token");
    expect((thrown(() => box.decrypt(bound)) as DomainError).kind).toBe("INVALID");
    expect((thrown(() => box.decrypt(unbound, "session:1")) as DomainError).kind).toBe("INVALID");
  });

  it("rejects tampered data", () => {
    const box = createSecretBox([k1]);
    const ct = box.encrypt("hello world");
    const err = thrown(() => box.decrypt(tamper(ct, 4)));
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).kind).toBe("INVALID");
  });

  it("rejects a tampered tag", () => {
    const box = createSecretBox([k1]);
    const ct = box.encrypt("hello world");
    const err = thrown(() => box.decrypt(tamper(ct, 3)));
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).kind).toBe("INVALID");
  });

  it("rejects a tampered IV", () => {
    const box = createSecretBox([k1]);
    const ct = box.encrypt("hello world");
    expect((thrown(() => box.decrypt(tamper(ct, 2))) as DomainError).kind).toBe("INVALID");
  });

  it("rejects a ciphertext decrypted with a different key under the same id", () => {
    const writer = createSecretBox([k1]);
    const reader = createSecretBox([{ id: "k1", key: Buffer.alloc(32, 9) }]);
    const err = thrown(() => reader.decrypt(writer.encrypt("hello")));
    expect((err as DomainError).kind).toBe("INVALID");
  });

  it("rejects values that are not OMS ciphertexts", () => {
    const box = createSecretBox([k1]);
    for (const value of ["plain-token", "v1.k1.a.b", "v2.k1.a.b.c", "v1.k1.a.b.c.d"]) {
      const err = thrown(() => box.decrypt(value));
      expect(err).toBeInstanceOf(DomainError);
      expect((err as DomainError).kind).toBe("INVALID");
      expect((err as DomainError).message).toBe("not an OMS ciphertext");
    }
  });

  describe("key rotation", () => {
    it("a box with [k2, k1] decrypts a k1 ciphertext and encrypts new values with k2", () => {
      const oldBox = createSecretBox([k1]);
      const rotated = createSecretBox([k2, k1]);
      const old = oldBox.encrypt("legacy secret", "session:1");
      expect(rotated.decrypt(old, "session:1")).toBe("legacy secret");
      const fresh = rotated.encrypt("new secret");
      expect(fresh.split(".")[1]).toBe("k2");
      expect(rotated.decrypt(fresh)).toBe("new secret");
    });

    it("needsRotation is true for a k1 ciphertext and false for a k2 ciphertext", () => {
      const oldBox = createSecretBox([k1]);
      const rotated = createSecretBox([k2, k1]);
      expect(rotated.needsRotation(oldBox.encrypt("x"))).toBe(true);
      expect(rotated.needsRotation(rotated.encrypt("x"))).toBe(false);
    });

    it("a k2 ciphertext cannot be read by a box that only has k1", () => {
      const rotated = createSecretBox([k2, k1]);
      const oldBox = createSecretBox([k1]);
      const err = thrown(() => oldBox.decrypt(rotated.encrypt("x")));
      expect(err).toBeInstanceOf(DomainError);
      expect((err as DomainError).kind).toBe("UNAVAILABLE");
    });

    it("needsRotation throws INVALID for a value that is not a ciphertext", () => {
      const box = createSecretBox([k1]);
      expect((thrown(() => box.needsRotation("plain")) as DomainError).kind).toBe("INVALID");
    });
  });

  it("an unknown key id is UNAVAILABLE and names the key", () => {
    const writer = createSecretBox([{ id: "retired-2023", key: Buffer.alloc(32, 3) }]);
    const reader = createSecretBox([k1]);
    const err = thrown(() => reader.decrypt(writer.encrypt("x")));
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).kind).toBe("UNAVAILABLE");
    expect((err as DomainError).message).toBe('encryption key "retired-2023" is not configured (OMS_ENCRYPTION_KEYS)');
  });

  it("isCiphertext recognises its own output only", () => {
    const box = createSecretBox([k1]);
    expect(box.isCiphertext(box.encrypt("x"))).toBe(true);
    expect(box.isCiphertext("shpat_abc")).toBe(false);
    expect(box.isCiphertext("v1.k1.a.b")).toBe(false);
    expect(box.isCiphertext("v2.k1.a.b.c")).toBe(false);
  });

  it("refuses an empty keyring", () => {
    const err = thrown(() => createSecretBox([]));
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).kind).toBe("INVALID");
    expect((err as DomainError).message).toBe("OMS_ENCRYPTION_KEYS: at least one key is required");
  });
});

describe("parseKeyring", () => {
  it("parses one key", () => {
    const keys = parseKeyring(`k1:${KEY1_B64}`);
    expect(keys).toHaveLength(1);
    expect(keys[0]?.id).toBe("k1");
    expect(keys[0]?.key.equals(Buffer.alloc(32, 1))).toBe(true);
  });

  it("parses several keys in order (first is active), trimming blanks and empty entries", () => {
    const keys = parseKeyring(` k2:${KEY2_B64} , k1:${KEY1_B64},`);
    expect(keys.map((k) => k.id)).toEqual(["k2", "k1"]);
    expect(keys[0]?.key.equals(Buffer.alloc(32, 2))).toBe(true);
    expect(keys[1]?.key.equals(Buffer.alloc(32, 1))).toBe(true);
  });

  it("a parsed keyring drives a working box", () => {
    const box = createSecretBox(parseKeyring(`k2:${KEY2_B64},k1:${KEY1_B64}`));
    const legacy = createSecretBox([k1]).encrypt("old");
    expect(box.decrypt(legacy)).toBe("old");
    expect(box.needsRotation(legacy)).toBe(true);
  });

  it("rejects an entry without a colon", () => {
    const err = thrown(() => parseKeyring(KEY1_B64));
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).kind).toBe("INVALID");
    expect((err as DomainError).details).toEqual({ field: "OMS_ENCRYPTION_KEYS" });
    expect((err as DomainError).message).toMatch(/must be <keyId>:<base64 key>$/);
  });

  it("does not echo the whole secret when the format is bad", () => {
    const err = thrown(() => parseKeyring(KEY1_B64)) as DomainError;
    expect(err.message).not.toContain(KEY1_B64);
  });

  it("rejects an entry with an empty id or an empty key", () => {
    expect((thrown(() => parseKeyring(`:${KEY1_B64}`)) as DomainError).message).toMatch(/must be <keyId>:<base64 key>/);
    expect((thrown(() => parseKeyring("k1:")) as DomainError).message).toMatch(/must be <keyId>:<base64 key>/);
  });

  it("rejects a key id with characters outside [A-Za-z0-9_-]", () => {
    const err = thrown(() => parseKeyring(`key 1:${KEY1_B64}`)) as DomainError;
    expect(err.kind).toBe("INVALID");
    expect(err.message).toMatch(/must be <keyId>:<base64 key>/);
  });

  it("rejects a key of the wrong length and names the length", () => {
    const err = thrown(() => parseKeyring(`short:${Buffer.alloc(16, 1).toString("base64")}`));
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).kind).toBe("INVALID");
    expect((err as DomainError).message).toBe('OMS_ENCRYPTION_KEYS: key "short" must decode to 32 bytes, got 16');
  });

  it("rejects a 33-byte key", () => {
    const err = thrown(() => parseKeyring(`k1:${Buffer.alloc(33, 1).toString("base64")}`)) as DomainError;
    expect(err.message).toBe('OMS_ENCRYPTION_KEYS: key "k1" must decode to 32 bytes, got 33');
  });

  it("rejects duplicate key ids", () => {
    const err = thrown(() => parseKeyring(`k1:${KEY1_B64},k1:${KEY2_B64}`));
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).kind).toBe("INVALID");
    expect((err as DomainError).message).toBe("OMS_ENCRYPTION_KEYS: key ids must be unique");
  });

  it("rejects an empty spec", () => {
    for (const spec of ["", "   ", " , ,"]) {
      const err = thrown(() => parseKeyring(spec));
      expect(err).toBeInstanceOf(DomainError);
      expect((err as DomainError).message).toBe("OMS_ENCRYPTION_KEYS: at least one key is required");
    }
  });
});

describe("generateKeySpec", () => {
  it("produces a spec parseKeyring accepts, with a fresh 32-byte key", () => {
    const a = parseKeyring(generateKeySpec("k7"));
    const b = parseKeyring(generateKeySpec());
    expect(a[0]?.id).toBe("k7");
    expect(b[0]?.id).toBe("k1");
    expect(a[0]?.key.length).toBe(32);
    expect(a[0]?.key.equals(b[0]?.key ?? Buffer.alloc(0))).toBe(false);
  });
});
