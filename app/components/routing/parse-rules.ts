/**
 * The rule editor posts its rules as one JSON field.  This checks the shape (objects where objects
 * belong, lists of text where lists belong) before validateProfile checks the values, so a
 * malformed post is refused with the field named instead of failing somewhere inside the router.
 */
import type { Rule } from "#app/modules/routing/index";
import { DomainError } from "#app/platform/errors";

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);

function object(parent: Record<string, unknown>, key: string, at: string, required: boolean): Record<string, unknown> | undefined {
  const value = parent[key];
  if (value === undefined && !required) return undefined;
  if (!isObject(value)) throw DomainError.invalid(`${at}.${key}`, "must be an object");
  return value;
}

function strings(parent: Record<string, unknown> | undefined, keys: string[], at: string): void {
  for (const key of keys) {
    const value = parent?.[key];
    if (value === undefined) continue;
    if (!Array.isArray(value)) throw DomainError.invalid(`${at}.${key}`, "must be a list");
    value.forEach((v, i) => {
      if (typeof v !== "string" || v.trim() === "") throw DomainError.invalid(`${at}.${key}[${i}]`, "must be non-empty text");
    });
  }
}

export function parseRulesJson(raw: FormDataEntryValue | null): Rule[] {
  if (typeof raw !== "string" || raw.trim() === "") throw DomainError.invalid("rules", "missing: post the rules as JSON");
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw DomainError.invalid("rules", "is not valid JSON");
  }
  if (!Array.isArray(parsed)) throw DomainError.invalid("rules", "must be a list of rules");
  if (parsed.length === 0) throw DomainError.invalid("profile.rules", "must have at least one rule");
  parsed.forEach((rule: unknown, i) => {
    const at = `profile.rules[${i}]`;
    if (!isObject(rule)) throw DomainError.invalid(at, "must be an object");
    if (typeof rule.id !== "string") throw DomainError.invalid(`${at}.id`, "must be a non-empty string");
    if (rule.name !== undefined && typeof rule.name !== "string") throw DomainError.invalid(`${at}.name`, "must be text");
    const conditions = object(rule, "conditions", at, true)!;
    strings(conditions, ["channels", "companyIds", "speeds", "skuTags", "demandTiers", "customerTags"], `${at}.conditions`);
    if (conditions.b2b !== undefined && typeof conditions.b2b !== "boolean") throw DomainError.invalid(`${at}.conditions.b2b`, "must be true or false");
    const destination = object(conditions, "destination", `${at}.conditions`, false);
    strings(destination, ["countries", "regions", "postalPrefixes"], `${at}.conditions.destination`);
    if (destination) object(destination, "radius", `${at}.conditions.destination`, false);
    object(conditions, "orderValue", `${at}.conditions`, false);
    object(conditions, "lineCount", `${at}.conditions`, false);
    const filter = object(rule, "candidateFilter", at, true);
    strings(filter, ["locationKinds", "include", "exclude"], `${at}.candidateFilter`);
    if (!Array.isArray(rule.sort)) throw DomainError.invalid(`${at}.sort`, "must be a list");
    rule.sort.forEach((s: unknown, j) => {
      if (!isObject(s)) throw DomainError.invalid(`${at}.sort[${j}]`, "must be an object");
    });
    object(rule, "splitPolicy", at, true);
    object(rule, "fallback", at, true);
  });
  return parsed as Rule[];
}
