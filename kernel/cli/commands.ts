import type { CliCommand } from "./command";
import { runCommand } from "./runCommand";

/** Every `medad` subcommand. Add new ones here (one file each). */
export const commands: CliCommand[] = [runCommand];
