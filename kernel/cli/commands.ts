import type { CliCommand } from "./command";
import { modelsListCommand } from "./modelsList";
import { modelsPullCommand } from "./modelsPull";
import { runCommand } from "./runCommand";

/** Every `medad` subcommand. Add new ones here (one file each). */
export const commands: CliCommand[] = [runCommand, modelsPullCommand, modelsListCommand];
