import type { CliCommand } from "./command";
import { dataBuildCorpusCommand } from "./dataBuildCorpus";
import { dataInfoCommand } from "./dataInfo";
import { dataMakeDemoCommand } from "./dataMakeDemo";
import { dataSliceCommand } from "./dataSlice";
import { featuresCommand } from "./featuresCommand";
import { fewshotCommand } from "./fewshotCommand";
import { detectCommand } from "./detectCommand";
import { gridMergeCommand } from "./grid/merge";
import { gridPlanCommand } from "./grid/plan";
import { gridRunCommand } from "./grid/run";
import { gridStatusCommand } from "./grid/status";
import { gridSubmitCommand } from "./grid/submit";
import { modelsListCommand } from "./modelsList";
import { modelsMakeDemoCommand } from "./modelsMakeDemo";
import { modelsPullCommand } from "./modelsPull";
import { modelsTrainDemoCommand } from "./modelsTrainDemo";
import { runCommand } from "./runCommand";
import { textCommand } from "./textCommand";

/** Every `medad` subcommand. Add new ones here (one file each). */
export const commands: CliCommand[] = [
  runCommand,
  fewshotCommand,
  detectCommand,
  modelsPullCommand,
  modelsListCommand,
  modelsMakeDemoCommand,
  modelsTrainDemoCommand,
  featuresCommand,
  textCommand,
  dataInfoCommand,
  dataMakeDemoCommand,
  dataSliceCommand,
  dataBuildCorpusCommand,
  gridPlanCommand,
  gridRunCommand,
  gridSubmitCommand,
  gridStatusCommand,
  gridMergeCommand,
];
