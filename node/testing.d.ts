/** An in-process emulator of the Exto360 Data API, for tests of your own code. */
export interface Emulator {
  /** Base URL for the client, e.g. `http://127.0.0.1:41234`. */
  readonly url: string
  readonly token: string
  /** Every API request so far (method, path, query, params, headers with the token masked, body, status). */
  journal(): Array<{ method: string; path: string; query: string | null; params: Array<[string, string]>; headers: Record<string, string>; body: unknown; status: number | null }>
  clearJournal(): void
  /** Back to the dataset; clears the journal, faults and rate-limit state. */
  reset(): void
  /** Replaces the fault rules, e.g. `[{ kind: 'status', status: 503, times: 2 }]` (kinds: status, latency, reset, truncate). */
  setFaults(faults: Array<Record<string, unknown>>): void
  /** Changes settings (rateLimit, listShape, userListShape, frozenTime, ...) and returns them all. */
  configure(settings: Record<string, unknown>): Record<string, unknown>
  loadDataset(dataset: Record<string, unknown>): void
  /** Every stored record of `kind` `name`. */
  records(kind: 'masters' | 'modules', name: string): Array<Record<string, unknown>>
  close(): void
}

/** Starts an emulator on 127.0.0.1 with the demo dataset; the rate limit is off unless set. */
export declare function startEmulator(options?: { dataset?: Record<string, unknown>; settings?: Record<string, unknown>; token?: string }): Emulator
