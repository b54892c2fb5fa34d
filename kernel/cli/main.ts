import { commands } from "./commands";
import { CliCommand, CliIo, processIo, UsageError } from "./command";
import { formatFailure } from "./reportError";

function findCommand(args: string[]): { command: CliCommand; rest: string[] } | undefined {
  // Longest path first so "models pull" wins over a hypothetical "models".
  const sorted = [...commands].sort((a, b) => b.path.length - a.path.length);
  for (const command of sorted) {
    if (command.path.every((word, i) => args[i] === word)) return { command, rest: args.slice(command.path.length) };
  }
  return undefined;
}

function helpText(): string {
  const lines = commands.map((c) => `  medad ${c.path.join(" ").padEnd(16)} ${c.summary}`);
  return `usage: medad <command> [options]\n\ncommands:\n${lines.join("\n")}\n  medad help <command>    show a command's options\n`;
}

/** Entry point of the `medad` CLI; resolves to the exit code. */
export async function main(args: string[], io: CliIo = processIo): Promise<number> {
  if (args.length === 0 || args[0] === "help" || args[0] === "--help" || args[0] === "-h") {
    const target = args[0] === "help" && args.length > 1 ? findCommand(args.slice(1)) : undefined;
    io.out(target ? target.command.usage : helpText());
    return 0;
  }
  const found = findCommand(args);
  if (!found) {
    io.err(`medad: unknown command '${args.join(" ")}'\n\n${helpText()}`);
    return 2;
  }
  try {
    return await found.command.run(found.rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`medad ${found.command.path.join(" ")}: ${err.message}\n\n${found.command.usage}`);
      return 2;
    }
    io.err(formatFailure(found.command.path.join(" "), err));
    return 1;
  }
}
