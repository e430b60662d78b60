import { describe, expect, it } from "vitest";
import { extractCustomerData, mentionsCustomer, REDACTED, redactCustomer, type CustomerRef } from "./personal-data";

const R = REDACTED;

const JANE: CustomerRef = { id: 207119551, email: "jane.doe@example.com", phone: "+15550100199" };
const BOB: CustomerRef = { id: 115310627, email: "bob.norman@example.com", phone: "+442079460000" };

function janeAddress(kind: "default" | "billing" | "shipping") {
  return {
    ...(kind === "default" ? { id: 9001, customer_id: 207119551 } : {}),
    first_name: "Jane",
    last_name: "Doe",
    name: "Jane Doe",
    company: null,
    address1: "12 Elm Street",
    address2: "Apt 4",
    city: "Springfield",
    province: "Oregon",
    province_code: "OR",
    country: "United States",
    country_code: "US",
    zip: "97477",
    phone: "555-010-0199",
    ...(kind === "shipping" ? { latitude: 44.0462, longitude: -123.0220 } : {}),
    ...(kind === "default" ? { default: true } : {}),
  };
}

const janeCustomer = () => ({
  id: 207119551,
  admin_graphql_api_id: "gid://shopify/Customer/207119551",
  email: "jane.doe@example.com",
  phone: "+15550100199",
  first_name: "Jane",
  last_name: "Doe",
  note: null,
  state: "enabled",
  currency: "USD",
  default_address: janeAddress("default"),
});

const bobCustomer = () => ({
  id: 115310627,
  admin_graphql_api_id: "gid://shopify/Customer/115310627",
  email: "bob.norman@example.com",
  phone: "+44 20 7946 0000",
  first_name: "Bob",
  last_name: "Norman",
  note: "VIP",
  state: "enabled",
  currency: "GBP",
  default_address: {
    id: 9002,
    customer_id: 115310627,
    first_name: "Bob",
    last_name: "Norman",
    name: "Bob Norman",
    company: "Norman Ltd",
    address1: "1 High Street",
    address2: null,
    city: "London",
    province: null,
    country: "United Kingdom",
    country_code: "GB",
    zip: "EC1A 1BB",
    phone: "+44 20 7946 0000",
    default: true,
  },
});

const lineItems = () => [
  { id: 466157049, variant_id: 39072856, product_id: 632910392, sku: "SHIRT-BLU-M", name: "Blue Shirt - M", title: "Blue Shirt", quantity: 2, price: "29.95" },
  { id: 466157050, variant_id: 39072857, product_id: 632910393, sku: "SOCK-GRY", name: "Grey Socks", title: "Grey Socks", quantity: 1, price: "0.00" },
];

/** An orders/create webhook payload for Jane. */
function janeOrder() {
  return {
    id: 5678901234567,
    admin_graphql_api_id: "gid://shopify/Order/5678901234567",
    name: "#1001",
    order_number: 1001,
    email: "Jane.Doe@Example.com",
    contact_email: "Jane.Doe@Example.com",
    phone: "+1 (555) 010-0199",
    note: "Leave at the back door",
    browser_ip: "203.0.113.7",
    total_price: "59.90",
    subtotal_price: "59.90",
    currency: "USD",
    financial_status: "paid",
    customer: janeCustomer(),
    billing_address: janeAddress("billing"),
    shipping_address: janeAddress("shipping"),
    line_items: lineItems(),
  };
}

/** The same order, but placed by Bob. */
function bobOrder() {
  const bob = bobCustomer();
  const { id: _id, customer_id: _cid, default: _d, ...address } = bob.default_address;
  return {
    id: 5678901234999,
    admin_graphql_api_id: "gid://shopify/Order/5678901234999",
    name: "#1002",
    order_number: 1002,
    email: "bob.norman@example.com",
    contact_email: "bob.norman@example.com",
    phone: "+44 20 7946 0000",
    note: null,
    browser_ip: "198.51.100.4",
    total_price: "12.00",
    subtotal_price: "12.00",
    currency: "GBP",
    financial_status: "paid",
    customer: bob,
    billing_address: { ...address },
    shipping_address: { ...address },
    line_items: lineItems(),
  };
}

/** Jane's order with every personal field scrubbed and everything else kept. */
function janeOrderRedacted() {
  const address = (kind: "default" | "billing" | "shipping") => ({
    ...(kind === "default" ? { id: 9001, customer_id: 207119551 } : {}),
    first_name: R,
    last_name: R,
    name: R,
    company: null,
    address1: R,
    address2: R,
    city: R,
    province: "Oregon",
    province_code: "OR",
    country: "United States",
    country_code: "US",
    zip: R,
    phone: R,
    ...(kind === "shipping" ? { latitude: R, longitude: R } : {}),
    ...(kind === "default" ? { default: true } : {}),
  });
  return {
    id: 5678901234567,
    admin_graphql_api_id: "gid://shopify/Order/5678901234567",
    name: "#1001",
    order_number: 1001,
    email: R,
    contact_email: R,
    phone: R,
    note: R,
    browser_ip: R,
    total_price: "59.90",
    subtotal_price: "59.90",
    currency: "USD",
    financial_status: "paid",
    customer: {
      id: 207119551,
      admin_graphql_api_id: "gid://shopify/Customer/207119551",
      email: R,
      phone: R,
      first_name: R,
      last_name: R,
      note: null,
      state: "enabled",
      currency: "USD",
      default_address: address("default"),
    },
    billing_address: address("billing"),
    shipping_address: address("shipping"),
    line_items: lineItems(),
  };
}

describe("mentionsCustomer", () => {
  it("finds the customer by numeric id on the order's customer object", () => {
    expect(mentionsCustomer(janeOrder(), { id: 207119551 })).toBe(true);
  });

  it("finds the customer by string id", () => {
    expect(mentionsCustomer(janeOrder(), { id: "207119551" })).toBe(true);
  });

  it("finds the customer by a customer_id reference", () => {
    expect(mentionsCustomer({ id: 1, kind: "fulfillment", customer_id: 207119551 }, { id: 207119551 })).toBe(true);
  });

  it("finds the customer by GraphQL gid (any letter case)", () => {
    const doc = { node: { admin_graphql_api_id: "gid://shopify/Customer/207119551", tags: [] } };
    expect(mentionsCustomer(doc, { id: 207119551 })).toBe(true);
    const graphql = { order: { customer: { id: "gid://shopify/Customer/207119551", firstName: "Jane" } } };
    expect(mentionsCustomer(graphql, { id: 207119551 })).toBe(true);
  });

  it("does not treat a non-customer object with the same id as the customer", () => {
    const doc = { id: 1, line_items: [{ id: 207119551, sku: "SHIRT-BLU-M" }] };
    expect(mentionsCustomer(doc, { id: 207119551 })).toBe(false);
  });

  it("finds the customer by email, case-insensitively and ignoring surrounding blanks", () => {
    expect(mentionsCustomer(janeOrder(), { email: "JANE.DOE@EXAMPLE.COM" })).toBe(true);
    expect(mentionsCustomer({ buyer_email: "jane.doe@example.com " }, { email: " Jane.Doe@example.com" })).toBe(true);
    expect(mentionsCustomer({ customer_email: "Jane.Doe@Example.com" }, { email: "jane.doe@example.com" })).toBe(true);
  });

  it("finds the customer by phone, ignoring formatting", () => {
    expect(mentionsCustomer({ id: 1, phone: "+1 (555) 010-0199" }, { phone: "+15550100199" })).toBe(true);
    expect(mentionsCustomer({ id: 1, phone: "+15550100199" }, { phone: "+1 555.010.0199" })).toBe(true);
    expect(mentionsCustomer(janeOrder(), { phone: "+1-555-010-0199" })).toBe(true);
  });

  it("is false for another customer", () => {
    expect(mentionsCustomer(janeOrder(), BOB)).toBe(false);
    expect(mentionsCustomer(bobOrder(), JANE)).toBe(false);
  });

  it("is false for an empty reference", () => {
    expect(mentionsCustomer(janeOrder(), {})).toBe(false);
    expect(mentionsCustomer(janeOrder(), { id: null, email: null, phone: null })).toBe(false);
    expect(mentionsCustomer(janeOrder(), { id: "", email: "  ", phone: "-" })).toBe(false);
  });

  it("is false for non-object documents", () => {
    expect(mentionsCustomer(null, JANE)).toBe(false);
    expect(mentionsCustomer("jane.doe@example.com", JANE)).toBe(false);
    expect(mentionsCustomer(42, JANE)).toBe(false);
  });

  it("finds the customer anywhere in a nested array", () => {
    expect(mentionsCustomer({ orders: [bobOrder(), janeOrder()] }, { id: 207119551 })).toBe(true);
  });
});

describe("redactCustomer", () => {
  it("scrubs the customer, the addresses and the order contact fields; keeps order name, line items, ids and amounts", () => {
    const { doc, changed } = redactCustomer(janeOrder(), JANE);
    expect(changed).toBe(true);
    expect(doc).toEqual(janeOrderRedacted());
  });

  it("gives the same result when the customer is named only by id", () => {
    const { doc, changed } = redactCustomer(janeOrder(), { id: 207119551 });
    expect(changed).toBe(true);
    expect(doc).toEqual(janeOrderRedacted());
  });

  it("gives the same result when the customer is named only by email", () => {
    expect(redactCustomer(janeOrder(), { email: "jane.doe@example.com" }).doc).toEqual(janeOrderRedacted());
  });

  it("leaves no trace of the customer's personal values", () => {
    const text = JSON.stringify(redactCustomer(janeOrder(), JANE).doc);
    for (const value of ["Jane", "Doe", "jane.doe", "Jane.Doe", "555", "Elm Street", "Apt 4", "Springfield", "97477", "203.0.113.7", "back door", "44.0462"]) {
      expect(text).not.toContain(value);
    }
  });

  it("keeps what the merchant's books need", () => {
    const doc = redactCustomer(janeOrder(), JANE).doc as ReturnType<typeof janeOrder>;
    expect(doc.name).toBe("#1001");
    expect(doc.id).toBe(5678901234567);
    expect(doc.total_price).toBe("59.90");
    expect(doc.customer.id).toBe(207119551);
    expect(doc.line_items.map((l) => [l.sku, l.name, l.quantity, l.price])).toEqual([
      ["SHIRT-BLU-M", "Blue Shirt - M", 2, "29.95"],
      ["SOCK-GRY", "Grey Socks", 1, "0.00"],
    ]);
  });

  it("does not modify the input document", () => {
    const input = janeOrder();
    redactCustomer(input, JANE);
    expect(input).toEqual(janeOrder());
  });

  it("reports changed false and returns an equal document when the customer is not mentioned", () => {
    const order = bobOrder();
    const { doc, changed } = redactCustomer(order, JANE);
    expect(changed).toBe(false);
    expect(doc).toEqual(bobOrder());
  });

  it("reports changed false for a guest order of someone else (no customer object)", () => {
    const guest = { ...bobOrder(), customer: null };
    const { doc, changed } = redactCustomer(guest, JANE);
    expect(changed).toBe(false);
    expect(doc).toEqual({ ...bobOrder(), customer: null });
  });

  it("reports changed false for an empty reference", () => {
    const { doc, changed } = redactCustomer({ id: 1, email: "jane.doe@example.com", customer: null }, {});
    expect(changed).toBe(false);
    expect(doc).toEqual({ id: 1, email: "jane.doe@example.com", customer: null });
  });

  it("in a document with two customers, scrubs only the target's object", () => {
    const doc = { customers: [janeCustomer(), bobCustomer()] };
    const result = redactCustomer(doc, JANE);
    expect(result.changed).toBe(true);
    expect(result.doc).toEqual({
      customers: [
        {
          id: 207119551,
          admin_graphql_api_id: "gid://shopify/Customer/207119551",
          email: R,
          phone: R,
          first_name: R,
          last_name: R,
          note: null,
          state: "enabled",
          currency: "USD",
          default_address: {
            id: 9001,
            customer_id: 207119551,
            first_name: R,
            last_name: R,
            name: R,
            company: null,
            address1: R,
            address2: R,
            city: R,
            province: "Oregon",
            province_code: "OR",
            country: "United States",
            country_code: "US",
            zip: R,
            phone: R,
            default: true,
          },
        },
        bobCustomer(),
      ],
    });
  });

  it("in a batch of orders, scrubs the target's order and leaves the other customer's order as it was", () => {
    const { doc, changed } = redactCustomer({ orders: [bobOrder(), janeOrder()] }, JANE);
    expect(changed).toBe(true);
    expect(doc).toEqual({ orders: [bobOrder(), janeOrderRedacted()] });
  });

  it("scrubs GraphQL-shaped customer and address fields", () => {
    const doc = {
      order: {
        id: "gid://shopify/Order/5678901234567",
        name: "#1001",
        customer: {
          id: "gid://shopify/Customer/207119551",
          firstName: "Jane",
          lastName: "Doe",
          displayName: "Jane Doe",
          defaultAddress: { address1: "12 Elm Street", city: "Springfield", zipCode: "97477", countryCode: "US" },
        },
      },
    };
    const { doc: out, changed } = redactCustomer(doc, { id: 207119551 });
    expect(changed).toBe(true);
    expect(out).toEqual({
      order: {
        id: "gid://shopify/Order/5678901234567",
        name: "#1001",
        customer: {
          id: "gid://shopify/Customer/207119551",
          firstName: R,
          lastName: R,
          displayName: R,
          defaultAddress: { address1: R, city: R, zipCode: R, countryCode: "US" },
        },
      },
    });
  });
});

describe("extractCustomerData", () => {
  it("returns the customer object's personal fields, id and address when found by id", () => {
    expect(extractCustomerData(janeOrder(), { id: 207119551 })).toEqual([
      {
        id: 207119551,
        email: "jane.doe@example.com",
        phone: "+15550100199",
        first_name: "Jane",
        last_name: "Doe",
        note: null,
        default_address: janeAddress("default"),
      },
    ]);
  });

  it("returns the order's contact fields and addresses when the order itself names the customer", () => {
    const found = extractCustomerData(janeOrder(), { email: "jane.doe@example.com" });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      email: "Jane.Doe@Example.com",
      contact_email: "Jane.Doe@Example.com",
      phone: "+1 (555) 010-0199",
      note: "Leave at the back door",
      browser_ip: "203.0.113.7",
      billing_address: janeAddress("billing"),
      shipping_address: janeAddress("shipping"),
    });
    expect(found[0]).not.toHaveProperty("line_items");
    expect(found[0]).not.toHaveProperty("total_price");
  });

  it("returns only the target's data from a document with two customers", () => {
    const found = extractCustomerData({ customers: [bobCustomer(), janeCustomer()] }, { email: "jane.doe@example.com" });
    expect(found).toEqual([
      {
        id: 207119551,
        email: "jane.doe@example.com",
        phone: "+15550100199",
        first_name: "Jane",
        last_name: "Doe",
        note: null,
        default_address: janeAddress("default"),
      },
    ]);
  });

  it("returns one entry per order that names the customer", () => {
    const found = extractCustomerData({ orders: [janeOrder(), bobOrder(), janeOrder()] }, { id: 207119551 });
    expect(found).toHaveLength(2);
    expect(found.map((f) => f.id)).toEqual([207119551, 207119551]);
  });

  it("returns nothing when the customer is not mentioned", () => {
    expect(extractCustomerData(bobOrder(), JANE)).toEqual([]);
    expect(extractCustomerData(janeOrder(), {})).toEqual([]);
  });
});
