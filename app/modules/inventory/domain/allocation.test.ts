import { describe, expect, it } from "vitest";
import { buildableAt, planAllocation } from "./allocation";

const plain = [{ variantId: "v", perUnit: 1 }];

describe("planAllocation", () => {
  it("serves a line from one location when one can cover it, choosing the tightest fit", () => {
    const plan = planAllocation(3, plain, [
      { locationId: "A", sellable: { v: 10 } },
      { locationId: "B", sellable: { v: 4 } },
      { locationId: "C", sellable: { v: 2 } },
    ]);
    expect(plan).toEqual({ takes: [{ locationId: "B", units: 3, takes: [{ variantId: "v", quantity: 3 }] }], shortfall: 0, coverable: 16 });
  });

  it("splits largest-first only when no single location can cover the line", () => {
    const plan = planAllocation(5, plain, [
      { locationId: "A", sellable: { v: 2 } },
      { locationId: "B", sellable: { v: 3 } },
      { locationId: "C", sellable: { v: 1 } },
    ]);
    expect(plan.takes.map((t) => [t.locationId, t.units])).toEqual([["B", 3], ["A", 2]]);
    expect(plan.shortfall).toBe(0);
  });

  it("reports the shortfall when the eligible stock is not enough, ignoring negative stock", () => {
    const plan = planAllocation(5, plain, [
      { locationId: "A", sellable: { v: 2 } },
      { locationId: "B", sellable: { v: -4 } },
    ]);
    expect(plan).toEqual({ takes: [{ locationId: "A", units: 2, takes: [{ variantId: "v", quantity: 2 }] }], shortfall: 3, coverable: 2 });
  });

  it("breaks ties by location id so the same input always gives the same plan", () => {
    const plan = planAllocation(2, plain, [
      { locationId: "Z", sellable: { v: 2 } },
      { locationId: "M", sellable: { v: 2 } },
    ]);
    expect(plan.takes[0]!.locationId).toBe("M");
  });

  it("allocates kits where every component is present, in component quantities", () => {
    const kit = [
      { variantId: "tent", perUnit: 1 },
      { variantId: "peg", perUnit: 8 },
    ];
    expect(buildableAt({ locationId: "A", sellable: { tent: 5, peg: 17 } }, kit)).toBe(2);
    expect(buildableAt({ locationId: "B", sellable: { tent: 5 } }, kit)).toBe(0);
    const plan = planAllocation(3, kit, [
      { locationId: "A", sellable: { tent: 5, peg: 17 } },
      { locationId: "B", sellable: { tent: 1, peg: 8 } },
      { locationId: "C", sellable: { tent: 9 } },
    ]);
    expect(plan).toEqual({
      takes: [
        { locationId: "A", units: 2, takes: [{ variantId: "tent", quantity: 2 }, { variantId: "peg", quantity: 16 }] },
        { locationId: "B", units: 1, takes: [{ variantId: "tent", quantity: 1 }, { variantId: "peg", quantity: 8 }] },
      ],
      shortfall: 0,
      coverable: 3,
    });
  });
});
