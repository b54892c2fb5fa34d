/** Shows a rendering failure in the output itself (VS Code would otherwise show nothing). */
export function showError(element: HTMLElement, error: unknown): void {
  const box = document.createElement("pre");
  box.className = "medad-error";
  box.style.color = "var(--vscode-errorForeground, #f48771)";
  box.style.whiteSpace = "pre-wrap";
  box.textContent = `MedAD Lab could not draw this output: ${error instanceof Error ? error.message : String(error)}\nUse "Change Presentation" to see the PNG form.`;
  element.replaceChildren(box);
}
