import type { CliCommand } from "./command";
import { dataInfoCommand } from "./dataInfo";
import { dataMakeDemoCommand } from "./dataMakeDemo";
import { dataSliceCommand } from "./dataSlice";
import { modelsListCommand } from "./modelsList";
import { modelsPullCommand } from "./modelsPull";

/** Every `medad` subcommand. Add new ones here (one file each). */
export const commands: CliCommand[] = [modelsPullCommand, modelsListCommand, dataInfoCommand, dataMakeDemoCommand, dataSliceCommand];
