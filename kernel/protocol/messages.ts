/**
 * The typed IPC protocol between a host (the VS Code extension or the `medad` CLI) and the kernel process.
 * Messages travel over Node's child-process IPC channel. Interrupts are not messages: the host sends SIGINT,
 * which is the only way to break a synchronous loop inside a cell.
 */
import type { MimeBundle } from "./outputs";

export const PROTOCOL_VERSION = 1;

/** Host → kernel. */
export type HostMessage = { type: "execute"; execId: number; code: string; cellLabel?: string } | { type: "shutdown" };

/** Kernel → host. Every message about a cell carries the `execId` of the `execute` request. */
export type KernelMessage =
  | { type: "ready"; protocol: number; versions: Record<string, string>; pid: number }
  | { type: "stream"; execId: number; name: "stdout" | "stderr"; text: string }
  | {
      type: "display";
      execId: number;
      data: MimeBundle;
      metadata: Record<string, unknown>;
      displayId?: string;
      update: boolean;
    }
  | { type: "error"; execId: number; ename: string; evalue: string; traceback: string[] }
  | { type: "done"; execId: number; status: ExecuteStatus; durationMs: number };

/** ok: ran to the end; error: the cell failed (error already reported); interrupted: stopped by SIGINT. */
export type ExecuteStatus = "ok" | "error" | "interrupted";

export function isKernelMessage(value: unknown): value is KernelMessage {
  if (typeof value !== "object" || value === null) return false;
  const type = (value as { type?: unknown }).type;
  return type === "ready" || type === "stream" || type === "display" || type === "error" || type === "done";
}

export function isHostMessage(value: unknown): value is HostMessage {
  if (typeof value !== "object" || value === null) return false;
  const msg = value as { type?: unknown; execId?: unknown; code?: unknown };
  if (msg.type === "shutdown") return true;
  return msg.type === "execute" && typeof msg.execId === "number" && typeof msg.code === "string";
}
