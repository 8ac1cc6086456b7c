/** The header's overall score, verdict, reasons and totals. */
import type { OverallView } from "../verdict-view.js";
import { el } from "./dom.js";

/**
 * Shows the overall view in the header.
 *
 * @param container - `#overall`.
 * @param view - from `overallView`.
 */
export function renderOverall(container: HTMLElement, view: OverallView): void {
  container.textContent = "";
  const score = el("span", "overall-score", view.scoreText);
  score.style.color = view.scoreColour;
  container.appendChild(score);
  container.appendChild(el("span", `verdict ${view.verdictTone}`, view.verdictText));
  container.appendChild(el("span", "muted", view.scoresText));
  container.appendChild(el("span", "muted", view.totalsText));
  container.appendChild(el("span", "muted", view.updatedText));
  if (view.reasons.length > 0) {
    const reasons = el("ul", "overall-reasons");
    for (const reason of view.reasons) reasons.appendChild(el("li", null, reason));
    container.appendChild(reasons);
  }
  container.setAttribute("data-score", String(view.score));
  container.setAttribute("data-healthy", String(view.healthy));
  if (view.verdict === undefined) container.removeAttribute("data-verdict");
  else container.setAttribute("data-verdict", view.verdict);
}
