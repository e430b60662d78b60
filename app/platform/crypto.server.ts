import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { DomainError } from "./errors";

/**
 * Secrets at rest: AES-256-GCM with a random 96-bit IV per message.  The key id travels with each
 * ciphertext ("v1.<kid>.<iv>.<tag>.<data>", base64url parts), so keys rotate without a migration:
 * new writes use the active key, old ciphertexts still name theirs.  Optional associated data binds
 * a ciphertext to its owner (e.g. "session:offline_shop") so it cannot be swapped onto another row.
 */
export interface SecretKey {
  id: string;
  key: Buffer; // 32 bytes
}

export interface SecretBox {
  encrypt(plaintext: string, associatedData?: string): string;
  decrypt(ciphertext: string, associatedData?: string): string;
  /** True when the value was written with a key other than the active one (re-encrypt it). */
  needsRotation(ciphertext: string): boolean;
  isCiphertext(value: string): boolean;
}

const PREFIX = "v1";
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

/** Parse "kid:base64key[,kid2:base64key]"; the first key is the active one. */
export function parseKeyring(spec: string): SecretKey[] {
  const keys = spec
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const [id, b64] = entry.split(":");
      if (!id || !b64 || !KEY_ID.test(id)) {
        throw DomainError.invalid("OMS_ENCRYPTION_KEYS", `entry "${entry.slice(0, 12)}…" must be <keyId>:<base64 key>`);
      }
      const key = Buffer.from(b64, "base64");
      if (key.length !== 32) {
        throw DomainError.invalid("OMS_ENCRYPTION_KEYS", `key "${id}" must decode to 32 bytes, got ${key.length}`);
      }
      return { id, key };
    });
  if (keys.length === 0) throw DomainError.invalid("OMS_ENCRYPTION_KEYS", "at least one key is required");
  if (new Set(keys.map((k) => k.id)).size !== keys.length) {
    throw DomainError.invalid("OMS_ENCRYPTION_KEYS", "key ids must be unique");
  }
  return keys;
}

export function generateKeySpec(id = "k1"): string {
  return `${id}:${randomBytes(32).toString("base64")}`;
}

export function createSecretBox(keys: SecretKey[]): SecretBox {
  const active = keys[0];
  if (!active) throw DomainError.invalid("OMS_ENCRYPTION_KEYS", "at least one key is required");
  const byId = new Map(keys.map((k) => [k.id, k.key]));

  const parse = (ciphertext: string) => {
    const parts = ciphertext.split(".");
    if (parts.length !== 5 || parts[0] !== PREFIX) {
      throw new DomainError("INVALID", "not an OMS ciphertext");
    }
    const [, kid, iv, tag, data] = parts as [string, string, string, string, string];
    return { kid, iv, tag, data };
  };

  return {
    encrypt(plaintext, associatedData) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", active.key, iv);
      if (associatedData) cipher.setAAD(Buffer.from(associatedData, "utf8"));
      const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [PREFIX, active.id, iv.toString("base64url"), tag.toString("base64url"), data.toString("base64url")].join(".");
    },
    decrypt(ciphertext, associatedData) {
      const { kid, iv, tag, data } = parse(ciphertext);
      const key = byId.get(kid);
      if (!key) {
        throw new DomainError("UNAVAILABLE", `encryption key "${kid}" is not configured (OMS_ENCRYPTION_KEYS)`);
      }
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
      if (associatedData) decipher.setAAD(Buffer.from(associatedData, "utf8"));
      decipher.setAuthTag(Buffer.from(tag, "base64url"));
      try {
        return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
      } catch {
        throw new DomainError("INVALID", "ciphertext failed authentication (wrong key, owner or tampered data)");
      }
    },
    needsRotation(ciphertext) {
      return parse(ciphertext).kid !== active.id;
    },
    isCiphertext(value) {
      return value.startsWith(PREFIX + ".") && value.split(".").length === 5;
    },
  };
}
