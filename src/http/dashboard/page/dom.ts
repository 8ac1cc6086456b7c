/**
 * The few DOM helpers the page uses. Server data reaches the document only through
 * `textContent` and attributes, never as HTML.
 */

const SVG_NS = "http://www.w3.org/2000/svg";

/**
 * Creates an element.
 *
 * @param tag - its tag.
 * @param className - its class, if any.
 * @param text - its text, if any.
 * @returns the element.
 */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string | null,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * Creates an SVG element with attributes.
 *
 * @param tag - its tag.
 * @param attributes - its attributes.
 * @returns the element.
 */
export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Readonly<Record<string, string>>,
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

/**
 * Sets a node's text only when it changed, so an unchanged poll touches no layout.
 *
 * @param node - the node.
 * @param text - its new text.
 */
export function setText(node: Node, text: string): void {
  if (node.textContent !== text) node.textContent = text;
}

/**
 * The element with an id the page's markup defines.
 *
 * @param id - its id.
 * @returns the element.
 * @throws Error when the markup lacks it (the page and its script are out of step).
 */
export function byId<T extends HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (node === null) throw new Error(`The dashboard's markup has no #${id}`);
  return node as T;
}
