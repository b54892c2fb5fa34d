import * as assert from "assert";
import { setDisplaySink } from "../../../kernel/api/displaySink";
import { progressBar } from "../../../kernel/api/progressBar";

describe("api: progressBar's final state", () => {
  const shown: string[] = [];
  before(() => setDisplaySink((data) => shown.push(String(data["text/plain"]))));
  after(() => setDisplaySink(undefined));
  beforeEach(() => (shown.length = 0));

  it("fills the bar when a job finishes", () => {
    const bar = progressBar("job", 0);
    bar.update({ phase: "train", done: 3, total: 10 });
    bar.finish("done in 1.0 s");
    assert.match(shown[shown.length - 1], /^job \[#{30}\] 100% done in 1\.0 s$/);
  });

  it("keeps a stopped job's bar where it got to, so a stop does not look like completion", () => {
    const bar = progressBar("job", 0);
    bar.update({ phase: "train", done: 3, total: 10 });
    bar.finish("stopped", true);
    assert.match(shown[shown.length - 1], /^job \[#{9}\.{21}\]  30% stopped$/);
  });
});
