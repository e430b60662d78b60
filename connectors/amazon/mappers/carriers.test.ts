import { describe, expect, it } from "vitest";
import { amazonCarrier } from "./carriers";

describe("amazonCarrier", () => {
  it("maps known carriers to Amazon's carrier codes whatever the spelling (the sandbox confirmShipment case sends FedEx)", () => {
    expect(amazonCarrier("FedEx")).toEqual({ carrierCode: "FedEx" });
    expect(amazonCarrier("fedex")).toEqual({ carrierCode: "FedEx" });
    expect(amazonCarrier("  Federal Express ")).toEqual({ carrierCode: "FedEx" });
    expect(amazonCarrier("UPS")).toEqual({ carrierCode: "UPS" });
    expect(amazonCarrier("united-states postal service")).toEqual({ carrierCode: "USPS" });
    expect(amazonCarrier("DHL Express")).toEqual({ carrierCode: "DHL" });
    expect(amazonCarrier("Royal Mail")).toEqual({ carrierCode: "Royal Mail" });
    expect(amazonCarrier("Canada Post")).toEqual({ carrierCode: "Canada Post" });
  });

  it('sends any other carrier as "Other" with its name (required with Other)', () => {
    expect(amazonCarrier("Acme Couriers")).toEqual({ carrierCode: "Other", carrierName: "Acme Couriers" });
    expect(amazonCarrier("Royal Mail Tracked 48")).toEqual({ carrierCode: "Other", carrierName: "Royal Mail Tracked 48" });
  });

  it("refuses a missing carrier", () => {
    expect(() => amazonCarrier("")).toThrow(/^carrier: is required/);
    expect(() => amazonCarrier(null)).toThrow(/^carrier: is required/);
  });
});
