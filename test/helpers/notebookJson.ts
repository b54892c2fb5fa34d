// A minimal .ipynb (code cells only, tslab kernelspec) as JSON text, for tests that run notebooks headless.
export function notebook(sources: string[]): string {
  const cells = sources.map((source) => ({
    cell_type: "code",
    source,
    metadata: {},
    outputs: [],
    execution_count: null,
  }));
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "tslab", language: "typescript" } },
    cells,
  });
}
