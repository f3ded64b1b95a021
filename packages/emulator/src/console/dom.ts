/** Small helpers to build the page's elements without innerHTML (content is never parsed as HTML). */

/** What an element can hold: nodes and text; `null`, `undefined` and `false` are skipped. */
export type ElementChild = Node | string | null | undefined | false;

/**
 * Creates an element with attributes (`true` sets an empty one, `false` and
 * `undefined` none) and children.
 */
export function element<Tag extends keyof HTMLElementTagNameMap>(
  tag: Tag,
  attributes: Record<string, string | number | boolean | undefined> = {},
  ...children: ElementChild[]
): HTMLElementTagNameMap[Tag] {
  const created = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    created.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    created.append(child);
  }
  return created;
}

/** The element with this id, of this type; throws when the page lacks it. */
export function requireElement<Type extends HTMLElement>(id: string, type: new () => Type): Type {
  const found = document.getElementById(id);
  if (!(found instanceof type)) throw new Error(`The console page has no #${id} (${type.name}).`);
  return found;
}

/** Replaces an element's children. */
export function replaceChildren(parent: Element, ...children: ElementChild[]): void {
  parent.replaceChildren(
    ...children.filter(
      (child): child is Node | string => child !== null && child !== undefined && child !== false,
    ),
  );
}
