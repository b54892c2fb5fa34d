/** Turns what a cell threw into Jupyter's ename / evalue / traceback, without the kernel's own frames. */
export function describeThrown(thrown: unknown): { ename: string; evalue: string; traceback: string[] } {
  if (thrown instanceof Error || (typeof thrown === "object" && thrown !== null && "stack" in thrown)) {
    const err = thrown as Error;
    const frames = (err.stack ?? "")
      .split("\n")
      .filter((l) => /^\s+at /.test(l))
      // Frames below the cell (vm, tslab, this kernel) say nothing about the user's code.
      .filter((l) => !/node:vm|node:internal|tslab[\\/]dist|kernel[\\/]process[\\/]/.test(l));
    return {
      ename: err.name || "Error",
      evalue: err.message ?? String(err),
      traceback: [`${err.name || "Error"}: ${err.message}`, ...frames],
    };
  }
  const text = typeof thrown === "string" ? thrown : (JSON.stringify(thrown) ?? String(thrown));
  return { ename: "Error", evalue: text, traceback: [`Uncaught ${text}`] };
}

/** The two ways an interrupt surfaces: vm's SIGINT break of synchronous code, tslab's rejection of an await. */
export function isInterruption(thrown: unknown): boolean {
  const err = thrown as { code?: string; message?: string } | undefined;
  return err?.code === "ERR_SCRIPT_EXECUTION_INTERRUPTED" || err?.message === "Interrupted asynchronously";
}
