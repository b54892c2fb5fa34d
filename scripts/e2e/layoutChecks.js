// Visual layout checks of a drawn chart, run in the output webview's page (frame.evaluate / page.evaluate), so a
// chart a person cannot read fails the e2e tier: text cut at an edge, a legend over the plot, legend entries
// without a colour swatch. `chartLayoutProblems(root)` takes the renderer's root element and returns one sentence
// per problem (empty: the layout is fine). It must stay self-contained: Playwright serialises it into the page.
"use strict";

/* eslint-disable no-undef -- runs in the browser */
function chartLayoutProblems(root) {
  const problems = [];
  const box = (el) => el.getBoundingClientRect();
  const fmt = (r) => `[${Math.round(r.left)},${Math.round(r.top)} ${Math.round(r.width)}×${Math.round(r.height)}]`;
  // One pixel of slack for sub-pixel rounding.
  const inside = (r, o) =>
    r.left >= o.left - 1 && r.right <= o.right + 1 && r.top >= o.top - 1 && r.bottom <= o.bottom + 1;
  const overlaps = (a, b) =>
    a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
  const visible = (el) => {
    const r = box(el);
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== "hidden";
  };

  // 1. Every SVG text plotly drew (ticks, axis titles, the chart title, its own legend) lies inside its SVG: text
  // beyond it is cut off on screen (a rotated "image AUROC" under a too-small bottom margin).
  for (const svg of root.querySelectorAll("svg.main-svg")) {
    const outer = box(svg);
    for (const text of svg.querySelectorAll("text")) {
      if (!text.textContent.trim() || !visible(text)) continue;
      const r = box(text);
      if (!inside(r, outer)) {
        problems.push(`text "${text.textContent}" ${fmt(r)} is cut by the chart's edge ${fmt(outer)}`);
      }
    }
  }

  // 2. The plot area (plotly's drag rectangle) is not covered by a legend, plotly's or ours.
  const plotArea = root.querySelector(".draglayer .xy .nsewdrag, .draglayer .nsewdrag");
  if (plotArea) {
    const area = box(plotArea);
    for (const legend of root.querySelectorAll("g.legend, .medad-legend")) {
      if (visible(legend) && overlaps(box(legend), area)) {
        problems.push(`the legend ${fmt(box(legend))} overlaps the plot area ${fmt(area)}`);
      }
    }
  }

  // 3. Our HTML text neither overflows the box that clips it (ellipsis, overflow hidden) nor leaves the output.
  const rootBox = box(root);
  for (const el of root.querySelectorAll("div, span, figcaption, td, th, label, button")) {
    if (!visible(el) || el.closest("svg")) continue;
    const ownText = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!ownText) continue;
    const style = getComputedStyle(el);
    const clips = style.overflowX !== "visible" || style.textOverflow === "ellipsis";
    const text = el.textContent.trim();
    if (clips && el.scrollWidth > el.clientWidth + 1) {
      problems.push(`"${text}" is cut: ${el.scrollWidth}px of text in a ${el.clientWidth}px box`);
    }
    const r = box(el);
    if (r.left < rootBox.left - 1 || r.right > rootBox.right + 1) {
      problems.push(`"${text}" ${fmt(r)} leaves the output ${fmt(rootBox)}`);
    }
  }

  // 4. Each legend entry has a visible colour swatch next to its name.
  for (const entry of root.querySelectorAll(".medad-legend .entry")) {
    const painted = (s) => visible(s) && !/rgba\(0, 0, 0, 0\)|transparent/.test(getComputedStyle(s).backgroundColor);
    const colored = [...entry.querySelectorAll(".swatch *")].some(painted);
    if (!colored) problems.push(`legend entry "${entry.textContent.trim()}" has no colour swatch`);
  }

  // 5. Nothing empty is drawn as a framed box (a hidden panel whose CSS display overrides [hidden]).
  for (const el of root.querySelectorAll("[hidden]")) {
    const height = Math.round(box(el).height);
    if (height > 0) problems.push(`the hidden element .${el.className} still takes ${height}px`);
  }
  return problems;
}

module.exports = { chartLayoutProblems };
