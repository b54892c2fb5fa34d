import type { ExecuteStatus } from "../protocol/messages";

/** What %%time measured: wall-clock and CPU time of the body, and how the body ended (`medad.TimingResult`). */
export interface TimingResult {
  wallMs: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  status: ExecuteStatus;
}
