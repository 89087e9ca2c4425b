/**
 * The page's one way of making elements. Text is always a text node and attributes always go through
 * `setAttribute`, so a value from the ledger (a project folder named `<img src=x onerror=…>`) can only
 * ever show as text; `innerHTML` is never used. Event handlers are functions, never attribute strings.
 */

export type Child = Node | string | number | null | undefined | false | readonly Child[];
export type AttrValue = string | number | boolean | null | undefined;
export interface Attrs {
  [name: string]: AttrValue | ((event: Event) => void);
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (attrs) setAttrs(element, attrs);
  append(element, children);
  return element;
}

/** Sets attributes: `class`, `testid` (→ `data-testid`), `on<event>` handlers, booleans as present/absent. */
export function setAttrs(element: Element, attrs: Attrs): void {
  for (const [name, value] of Object.entries(attrs)) {
    const attr = name === 'testid' ? 'data-testid' : name;
    if (value === null || value === undefined || value === false) {
      element.removeAttribute(attr);
      continue;
    }
    if (typeof value === 'function') {
      if (!name.startsWith('on')) throw new Error(`a handler must be named on<event>, not ${name}`);
      element.addEventListener(name.slice(2).toLowerCase(), value);
      continue;
    }
    if (name.toLowerCase().startsWith('on')) throw new Error(`event attributes take functions only (${name})`);
    if (value === true) element.setAttribute(attr, '');
    else if ((attr === 'href' || attr === 'src') && !safeUrl(String(value))) throw new Error(`refusing ${attr} ${JSON.stringify(String(value))}`);
    else element.setAttribute(attr, String(value));
  }
}

/** Appends children as nodes; strings and numbers become text nodes. */
export function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else if (typeof child === 'string' || typeof child === 'number') parent.appendChild(document.createTextNode(String(child)));
    else parent.appendChild(child as Node);
  }
}

/** Replaces an element's children. */
export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/** Links stay on this origin: a path, a query or a fragment. */
function safeUrl(url: string): boolean {
  return /^(\/(?!\/)|\?|#)/.test(url) || url === '/';
}
