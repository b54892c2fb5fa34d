import type { CliCommand } from "./command";

/** Every `medad` subcommand. Add new ones here (one file each). */
export const commands: CliCommand[] = [];
