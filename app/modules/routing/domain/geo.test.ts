import { describe, expect, it } from "vitest";
import { haversineKm, roundKm } from "./geo";

describe("haversineKm", () => {
  // Reference great-circle distances (spherical, mean radius).
  const pairs: [string, [number, number], [number, number], number][] = [
    ["Los Angeles - New York", [34.0522, -118.2437], [40.7128, -74.006], 3936],
    ["London - Paris", [51.5074, -0.1278], [48.8566, 2.3522], 344],
    ["Sydney - Melbourne", [-33.8688, 151.2093], [-37.8136, 144.9631], 714],
    ["San Francisco - Los Angeles", [37.7749, -122.4194], [34.0522, -118.2437], 559],
  ];
  it.each(pairs)("%s", (_name, [lat1, lng1], [lat2, lng2], km) => {
    expect(Math.abs(haversineKm(lat1, lng1, lat2, lng2) - km)).toBeLessThanOrEqual(10);
  });

  it("is zero for the same point, symmetric, and half the circumference for antipodes", () => {
    expect(haversineKm(10, 20, 10, 20)).toBe(0);
    expect(haversineKm(34, -118, 40, -74)).toBeCloseTo(haversineKm(40, -74, 34, -118), 9);
    expect(haversineKm(0, 0, 0, 180)).toBeCloseTo(Math.PI * 6371.0088, 6);
  });

  it("rounds to 0.1 km", () => {
    expect(roundKm(12.345)).toBe(12.3);
    expect(roundKm(12.36)).toBe(12.4);
  });
});
