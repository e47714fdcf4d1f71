// When to try again after a connection drops, and whether to try at all. Pure: no DOM,
// no timers, so `node --test` can check it without a browser.

export const BACKOFF = Object.freeze({
  firstMs: 500,
  maxMs: 30_000,
  // Full jitter can draw 0; a floor keeps a flapping server from being hit in a tight loop.
  floorMs: 100,
});

/**
 * The wait before retry number `attempt` (0 = the first retry after a drop): a random
 * point in [0, min(max, first * 2^attempt)], never below the floor. Full jitter spreads
 * the clients a restart dropped all at once, so they do not come back all at once.
 */
export function backoffDelay(attempt, random = Math.random, settings = BACKOFF) {
  const { firstMs, maxMs, floorMs } = settings;
  // Past 2^30 the product only overflows into Infinity; the cap has long been reached.
  const ceiling = Math.min(maxMs, firstMs * 2 ** Math.min(Math.max(0, attempt), 30));
  return Math.max(floorMs, Math.round(random() * ceiling));
}

/** Counts failed tries; reset once a connection has proved itself. */
export class Backoff {
  #attempt = 0;
  #random;
  #settings;

  constructor(random = Math.random, settings = BACKOFF) {
    this.#random = random;
    this.#settings = settings;
  }

  /** The wait before the next try; each call counts as one more try. */
  next() {
    return backoffDelay(this.#attempt++, this.#random, this.#settings);
  }

  reset() {
    this.#attempt = 0;
  }

  get attempts() {
    return this.#attempt;
  }
}

/**
 * What the page does after its socket closed with `code` (docs: protocol v2, "Close codes"):
 * - 'retry': come back by itself, with backoff;
 * - 'stop': the close was meant (1000); wait for the person to reconnect by hand;
 * - 'fault': the server refused what this page sent (1003, or 1002/1007, which would be
 *   this page's bug too); retrying would only repeat it;
 * - 'taken-over': another tab or window resumed this session (4001); coming back by itself
 *   would take it away from there again, and the two would fight.
 */
export function closeAction(code) {
  switch (code) {
    case 1000:
      return 'stop';
    case 1002:
    case 1003:
    case 1007:
      return 'fault';
    case 4001:
      return 'taken-over';
    default:
      // 1001, 1006, 1008, 1009, 1011-1013 and anything unknown: the server or the network
      // may well be fine again soon.
      return 'retry';
  }
}
