/**
 * Shopify's leaky bucket for the GraphQL Admin API, per app × store
 * (https://shopify.dev/docs/api/usage/limits#the-leaky-bucket-algorithm): up to `bucketSize` points
 * are available, refilled continuously at `restoreRate` points per second.  A request runs only if
 * its requested cost is available; afterwards the unused part (requested − actual) is refunded.
 * Time comes from the injected clock so tests can step it.
 */
export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export class LeakyBucket {
  private available: number;
  private at: number;

  constructor(
    readonly size: number,
    readonly restoreRate: number,
    private readonly now: () => number,
  ) {
    this.available = size;
    this.at = now();
  }

  private refill() {
    const t = this.now();
    if (t > this.at) this.available = Math.min(this.size, this.available + ((t - this.at) / 1000) * this.restoreRate);
    this.at = Math.max(this.at, t);
  }

  /** Takes `cost` points if available; false (and nothing taken) otherwise. */
  take(cost: number): boolean {
    this.refill();
    if (cost > this.available) return false;
    this.available -= cost;
    return true;
  }

  refund(points: number) {
    this.refill();
    this.available = Math.min(this.size, this.available + Math.max(0, points));
  }

  status(): ThrottleStatus {
    this.refill();
    return { maximumAvailable: this.size, currentlyAvailable: Math.floor(this.available), restoreRate: this.restoreRate };
  }
}
