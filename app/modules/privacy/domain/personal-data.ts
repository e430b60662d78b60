/**
 * Finding and removing one customer's personal data inside stored JSON documents (raw webhook
 * payloads, order snapshots).  Pure: plain data in, plain data out.
 *
 * Shopify's customers/redact and customers/data_request payloads name the customer by id, email
 * and phone (https://shopify.dev/docs/apps/build/compliance/privacy-law-compliance).  A document
 * "belongs" to the customer when any object in it carries one of those identifiers; in such an
 * object every personal field is replaced, and nested address objects are scrubbed too.
 */
export interface CustomerRef {
  id?: number | string | null;
  email?: string | null;
  phone?: string | null;
}

export const REDACTED = "[redacted]";

/** Field names that hold personal data in Shopify/Amazon/B2B documents. */
const PERSONAL_FIELDS = new Set([
  "email",
  "contact_email",
  "customer_email",
  "phone",
  "first_name",
  "last_name",
  "name",
  "company",
  "address1",
  "address2",
  "city",
  "zip",
  "latitude",
  "longitude",
  "note",
  "browser_ip",
  "buyer_email",
  "buyer_name",
  "firstName",
  "lastName",
  "displayName",
  "zipCode",
]);

const ADDRESS_KEYS = new Set(["billing_address", "shipping_address", "default_address", "addresses", "shippingAddress", "billingAddress", "defaultAddress"]);

const norm = (v: unknown) => (typeof v === "string" ? v.trim().toLowerCase() : typeof v === "number" ? String(v) : "");

function identifiers(ref: CustomerRef) {
  const ids = new Set<string>();
  if (ref.id !== undefined && ref.id !== null && String(ref.id) !== "") {
    ids.add(String(ref.id));
    ids.add(`gid://shopify/customer/${String(ref.id)}`.toLowerCase());
  }
  return { ids, email: norm(ref.email), phone: norm(ref.phone).replace(/[^\d+]/g, "") };
}

function objectMatches(obj: Record<string, unknown>, who: ReturnType<typeof identifiers>, parentKey: string | null): boolean {
  const isCustomerObject = parentKey === "customer" || parentKey === "buyer";
  if (isCustomerObject && obj.id !== undefined && who.ids.has(norm(obj.id))) return true;
  if (who.ids.size && (who.ids.has(norm(obj.customer_id)) || who.ids.has(norm(obj.admin_graphql_api_id)))) return true;
  if (who.email) {
    for (const k of ["email", "contact_email", "customer_email", "buyer_email"]) if (norm(obj[k]) === who.email) return true;
  }
  if (who.phone && typeof obj.phone === "string" && obj.phone.replace(/[^\d+]/g, "") === who.phone) return true;
  return false;
}

/**
 * Replace personal fields.  "name" is personal only on a person or an address: on an order it is
 * the order number ("#1001"), on a line item the product.
 */
function scrub(value: unknown, personal: boolean): unknown {
  if (Array.isArray(value)) return value.map((x) => scrub(x, personal));
  if (value && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    const isPerson = personal || "first_name" in obj || "last_name" in obj || "firstName" in obj;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) {
      const personalField = PERSONAL_FIELDS.has(k) && (k !== "name" || isPerson);
      if (personalField && v !== null && typeof v !== "object") out[k] = REDACTED;
      else if (ADDRESS_KEYS.has(k) || k === "customer" || k === "buyer") out[k] = scrub(v, true);
      else out[k] = v;
    }
    return out;
  }
  return value;
}

/** Does any object in the document identify this customer? */
export function mentionsCustomer(doc: unknown, ref: CustomerRef): boolean {
  const who = identifiers(ref);
  if (!who.ids.size && !who.email && !who.phone) return false;
  const visit = (v: unknown, parentKey: string | null): boolean => {
    if (Array.isArray(v)) return v.some((x) => visit(x, parentKey));
    if (v && typeof v === "object") {
      const obj = v as Record<string, unknown>;
      if (objectMatches(obj, who, parentKey)) return true;
      return Object.entries(obj).some(([k, x]) => visit(x, k));
    }
    return false;
  };
  return visit(doc, null);
}

/**
 * Returns the document with this customer's personal data replaced by "[redacted]": the matching
 * object's personal fields, its nested addresses/customer, and — when the customer is the order's
 * customer — the order-level contact and address fields.  Ids, amounts and SKUs stay, so the
 * merchant's books still add up.
 */
export function redactCustomer(doc: unknown, ref: CustomerRef): { doc: unknown; changed: boolean } {
  const who = identifiers(ref);
  if (!who.ids.size && !who.email && !who.phone) return { doc, changed: false };
  // Returns the (possibly) rewritten value and whether anything in it belonged to the customer.
  const visit = (v: unknown, parentKey: string | null): [unknown, boolean] => {
    if (Array.isArray(v)) {
      const items = v.map((x) => visit(x, parentKey));
      return [items.map(([x]) => x), items.some(([, m]) => m)];
    }
    if (v && typeof v === "object") {
      const obj = v as Record<string, unknown>;
      if (objectMatches(obj, who, parentKey)) return [scrub(obj, parentKey === "customer" || parentKey === "buyer"), true];
      const out: Record<string, unknown> = {};
      let matched = false;
      let customerMatched = false;
      for (const [k, x] of Object.entries(obj)) {
        const [value, m] = visit(x, k);
        out[k] = value;
        matched ||= m;
        if (m && (k === "customer" || k === "buyer")) customerMatched = true;
      }
      // An order whose customer is this person: its own contact/address fields are theirs too.
      return customerMatched ? [scrub(out, false), true] : [out, matched];
    }
    return [v, false];
  };
  const [result, changed] = visit(doc, null);
  return { doc: changed ? result : doc, changed };
}

/** The personal fields a document holds about this customer (for data_request exports). */
export function extractCustomerData(doc: unknown, ref: CustomerRef): Record<string, unknown>[] {
  const who = identifiers(ref);
  const found: Record<string, unknown>[] = [];
  const visit = (v: unknown, parentKey: string | null) => {
    if (Array.isArray(v)) return v.forEach((x) => visit(x, parentKey));
    if (v && typeof v === "object") {
      const obj = v as Record<string, unknown>;
      if (objectMatches(obj, who, parentKey)) {
        // The matching object's personal fields plus its nested customer profile and addresses
        // (an order matched by its email still carries the customer's name and default address).
        const isPerson = parentKey === "customer" || parentKey === "buyer" || "first_name" in obj || "firstName" in obj;
        const picked: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(obj)) {
          if (k === "name" && !isPerson) continue; // an order's "name" is its number
          if (PERSONAL_FIELDS.has(k) || ADDRESS_KEYS.has(k) || k === "customer" || k === "buyer" || k === "id") picked[k] = x;
        }
        found.push(picked);
        return;
      }
      for (const [k, x] of Object.entries(obj)) visit(x, k);
    }
  };
  visit(doc, null);
  return found;
}
