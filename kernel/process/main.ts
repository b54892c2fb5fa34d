/**
 * Entry point of the kernel process, forked by the extension or the CLI with an IPC channel.
 * Talks only through process.send / 'message' (see kernel/protocol/messages.ts).
 */
import { isHostMessage, type KernelMessage } from "../protocol/messages";
import { exitWithParent } from "../util/orphanWatchdog";
import { PreludeError } from "./preludeError";
import { KernelSession } from "./session";

function send(message: KernelMessage): void {
  // The channel closes when the host dies; nothing useful can be done with output after that.
  if (process.connected) process.send!(message);
}

// Kept before the session redirects stdout/stderr into cell outputs: fatal errors must reach the host's log.
const rawStderr = process.stderr.write.bind(process.stderr);

async function start(): Promise<void> {
  if (!process.send) {
    process.stderr.write(
      "kernel/process/main.js is started by MedAD Lab with an IPC channel (child_process.fork); it cannot run on its own.\n",
    );
    process.exit(2);
  }
  const session = new KernelSession(send);
  process.on("SIGINT", () => session.interrupt());
  process.on("disconnect", () => process.exit(0));
  exitWithParent();
  // A stray rejection or exception from a timer in some cell must not kill the notebook's state.
  process.on("unhandledRejection", (reason) =>
    process.stderr.write(`Unhandled promise rejection: ${reason instanceof Error ? reason.stack : String(reason)}\n`),
  );
  process.on("uncaughtException", (err) => process.stderr.write(`Uncaught exception: ${err.stack ?? err}\n`));
  process.on("message", (message) => {
    if (isHostMessage(message)) session.handle(message);
  });
  await session.prelude();
  session.ready();
}

start().catch((err: Error) => {
  // Reaches the host as the exit of the process; its stderr (piped to the host's log) says why.
  // A prelude failure is a message for the user (type errors and the fix); a stack would push it out of the few
  // stderr lines the host shows.
  rawStderr(`MedAD Lab kernel failed to start: ${err instanceof PreludeError ? err.message : (err.stack ?? err)}\n`);
  process.exit(1);
});
